using System.Text.Json;

namespace Hearth.Benchmarks;

/// <summary>
/// Scripts the app's benchmark puts into a page before the app's own (Playwright init scripts). They only watch: times
/// are <c>performance.now()</c>, milliseconds from the page's navigation start, and "on screen" is the animation frame
/// in which an element or text is first in the document, the frame that paints it.
/// </summary>
internal static class AppProbes
{
    /// <summary>Sets <c>window.__shownAt</c> at the first frame in which <paramref name="selector"/> matches an element.</summary>
    public static string Shown(string selector) => $$"""
        (() => {
          const look = () => {
            if (document.querySelector({{JsonSerializer.Serialize(selector)}})) {
              window.__shownAt = performance.now();
            } else {
              requestAnimationFrame(look);
            }
          };
          requestAnimationFrame(look);
        })();
        """;

    /// <summary>
    /// Token timings of a streamed reply whose text is <c>tok0 tok1 …</c> (<see cref="StreamingModelServer"/>): for each
    /// token, when the event carrying it reached the page (a listener the probe adds to the app's EventSource before the
    /// app adds its own), the first frame after that (the floor: a page that did nothing would show it then), and the first
    /// frame whose last reply holds it. In <c>window.__tokens</c>.
    /// </summary>
    public const string TokenTimes = """
        (() => {
          const arrived = [], framed = [], shown = [];
          window.__tokens = { arrived, framed, shown };
          const highest = text => {
            const found = text.match(/tok(\d+)/g);
            return found ? Number(found[found.length - 1].slice(3)) : -1;
          };
          const mark = (times, upTo, now) => {
            for (let i = 0; i <= upTo; i++) {
              if (times[i] === undefined) {
                times[i] = now;
              }
            }
          };
          const Native = window.EventSource;
          window.EventSource = class extends Native {
            constructor(url, options) {
              super(url, options);
              this.addEventListener('events', event => mark(arrived, highest(event.data), performance.now()));
            }
          };
          const frame = () => {
            const now = performance.now();
            mark(framed, arrived.length - 1, now);
            const replies = document.querySelectorAll('#messages li.role-assistant .content');
            if (replies.length) {
              mark(shown, highest(replies[replies.length - 1].textContent), now);
            }
            requestAnimationFrame(frame);
          };
          requestAnimationFrame(frame);
        })();
        """;

    /// <summary>
    /// What a person waits for: the page's long tasks (over 50 ms of the main thread, which input queues behind) in
    /// <c>window.__longTasks</c>, and each key press or click from input to the frame showing its effect (the Event
    /// Timing API's duration) in <c>window.__inputs</c>.
    /// </summary>
    public const string Responsiveness = """
        (() => {
          window.__longTasks = [];
          window.__inputs = [];
          new PerformanceObserver(list => list.getEntries().forEach(entry => window.__longTasks.push(entry.duration)))
            .observe({ type: 'longtask', buffered: true });
          new PerformanceObserver(list => list.getEntries()
              .filter(entry => ['keydown', 'keypress', 'keyup', 'input', 'pointerdown', 'click'].includes(entry.name))
              .forEach(entry => window.__inputs.push(entry.duration)))
            .observe({ type: 'event', durationThreshold: 16, buffered: true });
        })();
        """;

    /// <summary>
    /// Scrolls the sidebar to its end until the app says the list is complete, one page at a time; resolves with the
    /// milliseconds from each scroll to the frame showing the page it fetched.
    /// </summary>
    public const string ScrollSidebarToTheEnd = """
        async () => {
          const sidebar = document.querySelector('.sidebar');
          const end = document.getElementById('list-end');
          const count = () => document.querySelectorAll('#chat-list li[data-id]').length;
          const nextFrameWhen = test => new Promise((resolve, reject) => {
            const give = performance.now() + 30000;
            const check = () => {
              if (test()) {
                resolve();
              } else if (performance.now() > give) {
                reject(new Error(`no more chats 30 s after scrolling to the end of ${count()} (sidebar scrolled ${sidebar.scrollTop} of ${sidebar.scrollHeight - sidebar.clientHeight}, list end ${end.hidden ? 'hidden' : 'shown'}) ${performance.getEntriesByType('resource').map(r => r.name).filter(n => n.includes('chats')).join(' ')}`));
              } else {
                requestAnimationFrame(check);
              }
            };
            requestAnimationFrame(check);
          });
          const pages = [];
          while (end.dataset.complete !== 'true') {
            const before = count();
            const start = performance.now();
            sidebar.scrollTop = sidebar.scrollHeight;
            await nextFrameWhen(() => count() > before || end.dataset.complete === 'true');
            pages.push(performance.now() - start);
          }
          return pages;
        }
        """;
}
