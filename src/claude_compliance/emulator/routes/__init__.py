"""Route handlers, one module per resource group; each handler maps a context to a reply."""
