/* global AdaptiveCards, document, window */
// Runs in the browser page of test/browser/cards.test.ts, after adaptivecards.min.js.
// Renders one card with the Adaptive Cards renderer for schema 1.5, in a container as narrow as
// a card in Teams on a phone, and reports what a person would miss.
'use strict';

window.renderCardReport = function renderCardReport(json, width) {
  var AC = AdaptiveCards;
  var host = document.createElement('div');
  host.style.width = width + 'px';
  host.style.fontFamily = '"Segoe UI", "DejaVu Sans", sans-serif';
  host.style.fontSize = '14px';
  document.body.appendChild(host);

  var card = new AC.AdaptiveCard();
  var context = new AC.SerializationContext(AC.Versions.v1_5);
  card.parse(json, context);

  var parseEvents = [];
  for (var i = 0; i < context.eventCount; i++) {
    var e = context.getEventAt(i);
    parseEvents.push({ phase: e.phase, event: AC.ValidationEvent[e.event], message: e.message });
  }
  var failures = [];
  card.validateProperties().validationEvents.forEach(function (e) {
    var owner = e.source && e.source.getJsonTypeName ? e.source.getJsonTypeName() : '?';
    failures.push({ owner: owner, event: AC.ValidationEvent[e.event], message: e.message });
  });

  var rendered = card.render();
  if (!rendered) return { parseEvents: parseEvents, failures: failures.concat([{ owner: 'card', event: 'Other', message: 'render() returned nothing' }]), overflowing: [], text: '' };
  host.appendChild(rendered);

  // Text that does not fit is cut off by the renderer (ellipsis) unless the element wraps, or a
  // word too long to break pushes the element out of the card.
  var overflowing = [];
  var edge = host.getBoundingClientRect().right + 1;
  var texts = host.querySelectorAll('.ac-textBlock, .ac-richTextBlock, .ac-textRun, label, .ac-fact-title, .ac-fact-value');
  Array.prototype.forEach.call(texts, function (el) {
    if (el.scrollWidth > el.clientWidth + 1 || el.getBoundingClientRect().right > edge) overflowing.push(describe(el));
  });
  // A button's title never wraps: it must fit on one line in the card by itself (a row of
  // several buttons is the host's to lay out: Teams moves what does not fit to an overflow menu).
  var buttons = host.querySelectorAll('button');
  Array.prototype.forEach.call(buttons, function (el) {
    var saved = el.getAttribute('style') || '';
    el.style.flex = '0 0 auto';
    el.style.maxWidth = 'none';
    el.style.minWidth = '0';
    var natural = el.getBoundingClientRect().width;
    el.setAttribute('style', saved);
    if (natural > host.getBoundingClientRect().width + 1) overflowing.push(describe(el, natural));
  });
  var report = { parseEvents: parseEvents, failures: failures, overflowing: overflowing, text: host.innerText, height: host.getBoundingClientRect().height };
  return report;
};

function describe(el, width) {
  return { tag: el.tagName.toLowerCase(), className: String(el.className), text: (el.textContent || '').trim().slice(0, 120), scrollWidth: Math.round(width || el.scrollWidth), clientWidth: el.clientWidth };
}

window.clearCards = function clearCards() {
  document.body.innerHTML = '';
};
