"""A minimal Streamlit client for load tests: one websocket session that reruns the script with widget values and
waits for the run to finish, without a browser (so the measured time is the server's: the script run and the
messages it sends, no drawing).

It speaks the protocol of the installed Streamlit (its own protobufs): `BackMsg.rerun_script` with the widget
states, answered by ForwardMsgs (`new_session`, deltas, `script_finished`). Widgets are found by their label in the
deltas (their ids and option labels); a widget value is sent as the browser sends it (pills and multiselects: the
option labels as `string_array_value`).
"""
from __future__ import annotations

import time

import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

FINISHED = {ForwardMsg.FINISHED_SUCCESSFULLY, ForwardMsg.FINISHED_WITH_COMPILE_ERROR}


class Session:
    """One open session of the app at `url` (http://host:port)."""

    def __init__(self, url: str):
        self.ws_url = url.replace("http://", "ws://") + "/_stcore/stream"
        self.ws = None
        self.page_hash = ""
        self.widgets: dict[str, tuple[str, list[str]]] = {}  # label -> (widget id, option labels)
        self.exceptions = 0
        self.messages: list[str] = []  # the exceptions' messages, as the app showed them

    async def open(self) -> float:
        """Connect and run the default page once; returns the seconds to the end of that run."""
        started = time.perf_counter()
        self.ws = await websockets.connect(self.ws_url, subprotocols=["streamlit"], max_size=None,
                                           origin=self.ws_url.replace("ws://", "http://").split("/_stcore")[0])
        await self.rerun({})
        return time.perf_counter() - started

    async def rerun(self, values: dict[str, list[str]]) -> float:
        """Rerun with these widgets (label -> option labels) set; returns the seconds to `script_finished`."""
        msg = BackMsg()
        msg.rerun_script.query_string = ""
        msg.rerun_script.page_script_hash = self.page_hash
        for label, chosen in values.items():
            widget_id, _ = self.widgets[label]
            state = msg.rerun_script.widget_states.widgets.add()
            state.id = widget_id
            state.string_array_value.data.extend(chosen)
        started = time.perf_counter()
        await self.ws.send(msg.SerializeToString())
        while True:
            forward = ForwardMsg()
            forward.ParseFromString(await self.ws.recv())
            kind = forward.WhichOneof("type")
            if kind == "new_session":
                self.page_hash = forward.new_session.page_script_hash or self.page_hash
            elif kind == "delta":
                self._note(forward)
            elif kind == "script_finished" and forward.script_finished in FINISHED:
                return time.perf_counter() - started

    def _note(self, forward: ForwardMsg) -> None:
        if forward.delta.WhichOneof("type") != "new_element":
            return
        element = forward.delta.new_element
        kind = element.WhichOneof("type")
        if kind == "exception":
            self.exceptions += 1
            self.messages.append(f"{element.exception.type}: {element.exception.message[:200]}")
        elif kind in ("button_group", "multiselect"):
            widget = getattr(element, kind)
            options = [o.content if hasattr(o, "content") else o for o in widget.options]
            label = widget.label or (widget.help or "")
            self.widgets[label] = (widget.id, list(options))

    async def close(self) -> None:
        if self.ws is not None:
            await self.ws.close()
