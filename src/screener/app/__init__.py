"""What a command does, end to end: the pipeline every command calls, the nightly run, views of
a scored table, reports, configuration and the helper process. Imports the core and data floors,
never typer or rich."""
