"""The web pages (网页): server-rendered Chinese pages for judges, auditors, admins and the
public, beside the JSON API in ``adapters/http``. They call the same services as the API and
add no rule of their own; htmx (served from here, no build step) makes them partial-update,
and every main action also works as a plain form post without JavaScript."""
