"""Charts and reports (HTML, PDF, CSV) shared by the app and the command line; matplotlib without pyplot."""
