from django.urls import URLPattern, URLResolver, get_resolver


def patterns(resolver=None, prefix="", namespace=""):
    """(route, name, params) of every URL pattern, names with their namespaces."""
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            ns = ":".join(filter(None, [namespace, entry.namespace]))
            yield from patterns(entry, prefix + str(entry.pattern), ns)
        elif isinstance(entry, URLPattern):
            name = ":".join(filter(None, [namespace, entry.name or ""]))
            yield prefix + str(entry.pattern), name, list(entry.pattern.converters)
