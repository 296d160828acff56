"""What people do with the data, each action whole: load a file, replace or delete a batch, manage accounts.

No Streamlit here: the pages and the command line call the same functions, which check the actor's rights at the
moment the action runs and return problems as data (prevention.texts renders them at the edges)."""
