"""What people touch: the command line now; the web app, HTTP API and reports later."""
