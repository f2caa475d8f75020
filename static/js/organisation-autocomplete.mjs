// Progressive enhancement of the contracts page's organisation filter. Without JavaScript it is
// a text input taking a name; with it, accessible-autocomplete (GOV.UK's component, loaded by
// the page as window.accessibleAutocomplete) suggests names from the suggestions endpoint as
// you type. The enhanced input has the same id and name, so the form submits the same field.

const MIN_LENGTH = 2;

function enhance(container) {
  const input = container.querySelector("input");
  if (!input || !window.accessibleAutocomplete) {
    return;
  }
  const source = container.dataset.source;
  let controller = null;
  const suggest = (query, populate) => {
    if (controller) {
      controller.abort();
    }
    controller = new AbortController();
    fetch(`${source}?q=${encodeURIComponent(query)}`, {
      headers: { Accept: "application/json" },
      credentials: "same-origin",
      signal: controller.signal,
    })
      .then((response) => (response.ok ? response.json() : { results: [] }))
      .then((data) => populate(data.results.map((result) => result.name)))
      .catch(() => {});
  };
  const attributes = {
    id: input.id,
    name: input.name,
    value: input.value,
    describedBy: input.getAttribute("aria-describedby") || "",
    error: input.classList.contains("govuk-input--error"),
  };
  input.remove();
  window.accessibleAutocomplete({
    element: container,
    id: attributes.id,
    name: attributes.name,
    defaultValue: attributes.value,
    source: suggest,
    minLength: MIN_LENGTH,
    showNoOptionsFound: true,
    confirmOnBlur: false,
    inputClasses: attributes.error ? "govuk-input--error" : "",
    tNoResults: () => "No organisation with contracts matches",
  });
  const enhanced = container.querySelector(`#${CSS.escape(attributes.id)}`);
  if (enhanced && attributes.describedBy) {
    enhanced.setAttribute(
      "aria-describedby",
      `${enhanced.getAttribute("aria-describedby") || ""} ${attributes.describedBy}`.trim(),
    );
  }
}

document
  .querySelectorAll('[data-module="app-organisation-autocomplete"]')
  .forEach((container) => enhance(container));
