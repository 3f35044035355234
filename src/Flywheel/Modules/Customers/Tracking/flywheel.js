/*! Flywheel tracking script. Usage and behaviour: docs/tracking.md */
(() => {
  'use strict';

  const stub = window.flywheel;
  if (stub && stub.version) {
    return; // included twice
  }

  const QUEUE = 'fw_queue';       // localStorage: events not yet acknowledged by the server
  const SESSION = 'fw_session';   // localStorage: { utm, last } of the current visit
  const CUSTOMER = 'fw_uid';      // localStorage: the customer id given to identify()
  const COOKIE = 'fw_aid';        // first-party cookie: the anonymous visitor id
  const COOKIE_SECONDS = 2 * 365 * 24 * 3600;
  const SESSION_GAP_MS = 30 * 60 * 1000; // a visit ends after 30 minutes without events (as SPEC §5 counts sessions)
  const FLUSH_MS = 1000;
  const BATCH_EVENTS = 50;
  const MAX_CHARS = 300000;       // per request; far under the server's 1 MB
  const KEEPALIVE_CHARS = 20000;  // keepalive bodies share a 64 KB budget per page
  const MAX_QUEUED = 1000;        // the oldest events go first when a shop is offline for long
  const MAX_BACKOFF_MS = 60000;
  const MAX_FIELD = 2048;         // the server's limit for a context field
  const UTM = ['utm_source', 'utm_medium', 'utm_campaign', 'utm_content', 'utm_term'];

  let key = '';
  let host = '';
  let started = false;
  let sending = false;
  let failures = 0;
  let retryAt = 0;
  let timer = 0;
  let timerAt = 0;
  let memoryQueue = [];
  let memoryCustomer = null;
  let memoryAnonymous = null;
  let lastUrl = null;

  // Nothing here may break the page it runs on: entry points, timers and listeners all swallow their errors.
  const guard = (fn) => (...args) => {
    try {
      fn(...args);
    } catch {
      // ignored on purpose
    }
  };

  const read = (name) => {
    try {
      const text = window.localStorage.getItem(name);
      return text === null ? null : JSON.parse(text);
    } catch {
      return null;
    }
  };

  const write = (name, value) => {
    try {
      if (value === null) {
        window.localStorage.removeItem(name);
      } else {
        window.localStorage.setItem(name, JSON.stringify(value));
      }
    } catch {
      // Storage full or disabled: the in-memory copy still works for this page.
    }
  };

  // Storage is the shared truth (other tabs and the next page load see it); memory covers disabled storage.
  const pending = () => {
    const stored = read(QUEUE);
    return Array.isArray(stored) ? stored : memoryQueue;
  };

  const setPending = (events) => {
    memoryQueue = events;
    write(QUEUE, events.length ? events : null);
  };

  const uuid = () => {
    const c = window.crypto;
    if (c && typeof c.randomUUID === 'function') {
      return c.randomUUID();
    }
    // randomUUID exists only on https pages; getRandomValues everywhere.
    const b = c.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    const h = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
  };

  const readCookie = (name) => {
    for (const part of document.cookie.split(';')) {
      const eq = part.indexOf('=');
      if (eq > 0 && part.slice(0, eq).trim() === name) {
        return decodeURIComponent(part.slice(eq + 1).trim());
      }
    }
    return null;
  };

  const writeCookie = (name, value) => {
    const secure = window.location.protocol === 'https:' ? '; Secure' : '';
    document.cookie = `${name}=${encodeURIComponent(value)}; Max-Age=${COOKIE_SECONDS}; Path=/; SameSite=Lax${secure}`;
  };

  // Written once per page, which also renews the cookie's lifetime while the visitor keeps coming back.
  const anonymousId = () => {
    const id = readCookie(COOKIE) || read(COOKIE) || memoryAnonymous || uuid();
    if (id !== memoryAnonymous) {
      writeCookie(COOKIE, id);
      write(COOKIE, id);
      memoryAnonymous = id;
    }
    return id;
  };

  const customerId = () => read(CUSTOMER) || memoryCustomer;

  // The visit's campaign: UTM parameters of the landing URL, kept until the visit ends or another campaign lands.
  const session = () => {
    const now = Date.now();
    let s = read(SESSION);
    if (!s || typeof s.last !== 'number' || now - s.last > SESSION_GAP_MS) {
      s = { utm: {} };
    }
    const params = new URLSearchParams(window.location.search);
    const utm = {};
    let found = false;
    for (const name of UTM) {
      const value = params.get(name);
      if (value) {
        utm[name] = value;
        found = true;
      }
    }
    if (found) {
      s.utm = utm;
    }
    s.last = now;
    write(SESSION, s);
    return s;
  };

  const clip = (text) => (typeof text === 'string' && text.length > MAX_FIELD ? text.slice(0, MAX_FIELD) : text || undefined);

  const device = () => {
    const ua = navigator.userAgent || '';
    if (/iPad|Tablet/i.test(ua)) {
      return 'tablet';
    }
    const hint = navigator.userAgentData;
    return (hint && hint.mobile) || /Mobi|Android|iPhone/i.test(ua) ? 'mobile' : 'desktop';
  };

  const context = (utm) => {
    const c = { channel: 'web' };
    for (const name of UTM) {
      if (utm[name]) {
        c[name] = clip(String(utm[name]));
      }
    }
    c.url = clip(window.location.href);
    c.referrer = clip(document.referrer);
    c.device = device();
    c.user_agent = clip(navigator.userAgent);
    return c;
  };

  const schedule = (delayMs) => {
    const at = Math.max(Date.now() + delayMs, retryAt);
    if (timer && timerAt <= at) {
      return;
    }
    clearTimeout(timer);
    timerAt = at;
    timer = setTimeout(guard(() => {
      timer = 0;
      flush(false);
    }), Math.max(0, at - Date.now()));
  };

  const enqueue = (type, properties) => {
    if (typeof type !== 'string' || !type) {
      return;
    }
    const props = properties && typeof properties === 'object' ? properties : {};
    JSON.stringify(props); // refuse what cannot be sent (cycles) before it reaches the queue
    const s = session();
    const event = {
      event_id: uuid(),
      type,
      anonymous_id: anonymousId(),
      timestamp: new Date().toISOString(),
      properties: props,
      context: context(s.utm),
    };
    const customer = customerId();
    if (customer) {
      event.customer_id = customer;
    }
    const events = pending().concat([event]);
    setPending(events.length > MAX_QUEUED ? events.slice(events.length - MAX_QUEUED) : events);
    schedule(events.length >= BATCH_EVENTS ? 0 : FLUSH_MS);
  };

  const take = (events, budget) => {
    const batch = [];
    let chars = 12;
    for (const event of events) {
      const size = JSON.stringify(event).length + 1;
      if (batch.length && (batch.length >= BATCH_EVENTS || chars + size > budget)) {
        break;
      }
      batch.push(event);
      chars += size;
    }
    return batch;
  };

  const settle = (batch, status, retryAfter) => {
    sending = false;
    // Delivered, or refused for good (malformed, too large, a wrong key): retrying cannot change the answer.
    const final = (status >= 200 && status < 300) || (status >= 400 && status < 500 && status !== 408 && status !== 429);
    if (final) {
      const sent = new Set(batch.map((e) => e.event_id));
      setPending(pending().filter((e) => !sent.has(e.event_id)));
      failures = 0;
      retryAt = 0;
      if (pending().length) {
        schedule(0);
      }
      return;
    }
    // Network error, 5xx, 408 or 429: the same events (same ids) go again later; the server stores them once.
    failures += 1;
    const seconds = Number(retryAfter);
    const delay = seconds > 0
      ? seconds * 1000
      : Math.min(MAX_BACKOFF_MS, 1000 * 2 ** (failures - 1)) * (0.5 + Math.random() / 2);
    retryAt = Date.now() + delay;
    schedule(0);
  };

  const flush = (unloading) => {
    if (!key || !host || (sending && !unloading)) {
      return; // init() or the answer in flight schedules the next send
    }
    if (!unloading && Date.now() < retryAt) {
      schedule(0);
      return;
    }
    const batch = take(pending(), unloading ? KEEPALIVE_CHARS : MAX_CHARS);
    if (!batch.length) {
      return;
    }
    sending = true;
    let request;
    try {
      request = fetch(`${host}/api/v1/events/batch`, {
        method: 'POST',
        keepalive: unloading,
        credentials: 'omit',
        headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${key}` },
        body: JSON.stringify({ events: batch }),
      });
    } catch {
      request = Promise.reject(); // a host that is not a URL: retried later like a network error
    }
    request.then(
      (response) => settle(batch, response.status, response.headers.get('Retry-After')),
      () => settle(batch, 0, null),
    ).catch(() => {
      sending = false;
    });
  };

  const page = (properties) => {
    const url = window.location.href;
    const props = {
      url,
      path: window.location.pathname,
      title: document.title,
      referrer: lastUrl || document.referrer || '',
      screen: window.screen ? `${window.screen.width}x${window.screen.height}` : undefined,
      language: navigator.language,
    };
    lastUrl = url;
    enqueue('page_view', Object.assign(props, properties && typeof properties === 'object' ? properties : {}));
  };

  const identify = (id, traits) => {
    if (id === null || id === undefined || id === '') {
      return;
    }
    memoryCustomer = String(id);
    write(CUSTOMER, memoryCustomer);
    // Carries both ids: the server links the anonymous id, and so the visitor's earlier events, to the customer.
    enqueue('identify', traits);
  };

  // On sign-out: a new anonymous visitor, so the next person on this browser is not taken for the last one.
  const reset = () => {
    memoryCustomer = null;
    memoryAnonymous = null;
    write(CUSTOMER, null);
    write(COOKIE, null);
    document.cookie = `${COOKIE}=; Max-Age=0; Path=/; SameSite=Lax`;
  };

  const scriptOrigin = () => {
    const script = document.currentScript || document.querySelector('script[src*="/sdk/flywheel.js"]');
    try {
      return new URL(script.src, window.location.href).origin;
    } catch {
      return window.location.origin;
    }
  };
  const defaultHost = scriptOrigin();
  const tag = document.currentScript;

  const init = (options) => {
    const o = options && typeof options === 'object' ? options : {};
    if (o.key) {
      key = String(o.key);
    }
    host = String(o.host || host || defaultHost).replace(/\/+$/, '');
    if (!started && key) {
      started = true;
      const hidden = guard(() => flush(true));
      document.addEventListener('visibilitychange', () => {
        if (document.visibilityState === 'hidden') {
          hidden();
        }
      });
      window.addEventListener('pagehide', hidden);
      window.addEventListener('online', guard(() => {
        retryAt = 0;
        schedule(0);
      }));
      if (o.pageViews !== false) {
        page();
      }
      // Events an earlier page left unacknowledged.
      if (pending().length) {
        schedule(0);
      }
    }
  };

  const methods = { init, page, track: enqueue, identify, reset, flush: () => flush(false) };
  const call = (command) => {
    if (Array.isArray(command) && typeof methods[command[0]] === 'function') {
      methods[command[0]](...command.slice(1));
    }
  };

  const api = {
    version: '1',
    init: guard(init),
    page: guard(page),
    track: guard(enqueue),
    identify: guard(identify),
    reset: guard(reset),
    flush: guard(methods.flush),
    push: guard(call),
    anonymousId: () => {
      try {
        return anonymousId();
      } catch {
        return null;
      }
    },
  };

  const queued = Array.isArray(stub) ? stub.slice() : [];
  window.flywheel = api;
  guard(() => {
    const fromTag = tag && tag.dataset ? tag.dataset : {};
    const options = { key: fromTag.key, host: fromTag.host, pageViews: fromTag.pageViews !== 'false' };
    for (const command of queued) {
      if (Array.isArray(command) && command[0] === 'init') {
        Object.assign(options, command[1]);
      }
    }
    init(options);
  })();
  for (const command of queued) {
    if (!(Array.isArray(command) && command[0] === 'init')) {
      api.push(command);
    }
  }
})();
