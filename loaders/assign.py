"""The best consistent assignment of fields to columns: each field at most once, each column at most one field.

Maximum-weight bipartite matching by the Hungarian method (Kuhn–Munkres with potentials, O(n³)). A column may
also stay unassigned, which earns `threshold`: a field whose evidence falls short of it is never forced onto a
column. Tables have tens of columns and sixteen fields, so the matrix stays small."""
from __future__ import annotations

INF = float("inf")


def _hungarian(cost: list[list[float]]) -> list[int]:
    """Minimum-cost perfect matching of a square matrix: row -> column."""
    n = len(cost)
    u, v = [0.0] * (n + 1), [0.0] * (n + 1)
    match, way = [0] * (n + 1), [0] * (n + 1)
    for row in range(1, n + 1):
        match[0], column0 = row, 0
        minimum, used = [INF] * (n + 1), [False] * (n + 1)
        while True:
            used[column0] = True
            row0, delta, column1 = match[column0], INF, 0
            for column in range(1, n + 1):
                if not used[column]:
                    current = cost[row0 - 1][column - 1] - u[row0] - v[column]
                    if current < minimum[column]:
                        minimum[column], way[column] = current, column0
                    if minimum[column] < delta:
                        delta, column1 = minimum[column], column
            for column in range(n + 1):
                if used[column]:
                    u[match[column]] += delta
                    v[column] -= delta
                else:
                    minimum[column] -= delta
            column0 = column1
            if match[column0] == 0:
                break
        while True:
            column1 = way[column0]
            match[column0] = match[column1]
            column0 = column1
            if column0 == 0:
                break
    result = [0] * n
    for column in range(1, n + 1):
        if match[column]:
            result[match[column] - 1] = column - 1
    return result


def assign(scores: dict[int, dict[str, float]], threshold: float) -> dict[int, str]:
    """column -> field maximising the total score; pairs scoring below `threshold` are left out."""
    columns = [c for c, s in scores.items() if s and max(s.values()) >= threshold]
    fields = sorted({f for c in columns for f, value in scores[c].items() if value >= threshold})
    if not columns or not fields:
        return {}
    width = len(fields) + len(columns)          # every column may also take its own "unassigned" slot
    size = max(len(columns), width)
    cost = [[0.0] * size for _ in range(size)]
    for i, column in enumerate(columns):
        for j in range(size):
            if j < len(fields):
                value = scores[column].get(fields[j], -INF)
                cost[i][j] = -value if value >= threshold else 1e9
            elif j - len(fields) == i:
                cost[i][j] = -threshold
            else:
                cost[i][j] = 1e9
    chosen = _hungarian(cost)
    return {column: fields[chosen[i]] for i, column in enumerate(columns) if chosen[i] < len(fields)}
