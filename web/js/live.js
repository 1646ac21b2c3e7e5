// SPDX-License-Identifier: MIT
// Live updates: one EventSource on GET /api/v1/events for the whole page. The browser resends
// Last-Event-ID when it reconnects, so the server can replay what was missed. Views subscribe
// to event types; the header shows the connection state.

const TYPES = ['readings', 'aqi', 'alarm', 'air-alert'];

let source = null;
const subscribers = new Set();
const stateListeners = new Set();
let state = 'connecting';
let lastEventAt = 0;

function setState(s) {
    state = s;
    for (const fn of stateListeners)
        fn(s, lastEventAt);
}

export function start() {
    if (source !== null || typeof EventSource === 'undefined')
        return;
    source = new EventSource('api/v1/events');
    source.onopen = () => setState('open');
    source.onerror = () => setState(source.readyState === EventSource.CLOSED ? 'closed' : 'connecting');
    for (const type of TYPES) {
        source.addEventListener(type, ev => {
            let data = null;
            try {
                data = JSON.parse(ev.data);
            } catch (e) {
                return;
            }
            lastEventAt = Date.now();
            setState('open');
            for (const fn of subscribers)
                fn(type, data);
        });
    }
}

export function stop() {
    if (source !== null)
        source.close();
    source = null;
}

// fn(type, data); returns the function that unsubscribes.
export function subscribe(fn) {
    subscribers.add(fn);
    return () => subscribers.delete(fn);
}

export function onState(fn) {
    stateListeners.add(fn);
    fn(state, lastEventAt);
}

// A function that calls fn at most once per 'ms', trailing: bursts of events (a whole city's
// upload in one second) cause one refresh.
export function throttle(fn, ms) {
    let timer = null, last = 0;
    return () => {
        if (timer !== null)
            return;
        const wait = Math.max(0, last + ms - Date.now());
        timer = setTimeout(() => {
            timer = null;
            last = Date.now();
            fn();
        }, wait);
    };
}
