namespace Hearth.Server.Pages;

/// <summary>
/// The chat app's dialogs, drawn once by the server with their labels; the modules fill in the names and run them.
/// Each is a <c>&lt;dialog&gt;</c> whose form closes it with the pressed button's value (so Escape is Cancel).
/// </summary>
internal static class ChatAppDialogs
{
    public const string All = """
        <dialog class="dialog" id="name-dialog" aria-labelledby="name-heading">
          <form method="dialog">
            <h2 id="name-heading">Rename chat</h2>
            <label><span id="name-label">Title</span> <input type="text" name="name" id="name-input" required maxlength="500"></label>
            <div class="dialog-buttons"><button value="cancel" class="button" formnovalidate>Cancel</button><button value="ok" class="button primary" id="name-ok">Rename</button></div>
          </form>
        </dialog>
        <dialog class="dialog" id="confirm-dialog" aria-labelledby="confirm-heading" aria-describedby="confirm-text">
          <form method="dialog">
            <h2 id="confirm-heading">Delete chat?</h2>
            <p id="confirm-text"></p>
            <div class="dialog-buttons"><button value="cancel" class="button">Cancel</button><button value="ok" class="button danger" id="confirm-ok">Delete</button></div>
          </form>
        </dialog>
        <dialog class="dialog" id="move-dialog" aria-labelledby="move-heading">
          <form method="dialog">
            <h2 id="move-heading">Move chat</h2>
            <label>Folder <select id="move-target"></select></label>
            <div class="dialog-buttons"><button value="cancel" class="button">Cancel</button><button value="ok" class="button primary">Move</button></div>
          </form>
        </dialog>
        <dialog class="dialog" id="share-dialog" aria-labelledby="share-heading">
          <form method="dialog">
            <h2 id="share-heading">Share chat</h2>
            <p id="share-note" role="status"></p>
            <label id="share-link-label" hidden>Link <input type="text" id="share-link" readonly></label>
            <div class="dialog-buttons wrap">
              <button type="button" class="button danger" id="share-revoke" hidden>Revoke link</button>
              <button type="button" class="button" id="share-update" hidden>Update link</button>
              <button type="button" class="button" id="share-copy" hidden>Copy link</button>
              <button type="button" class="button primary" id="share-create">Create link</button>
              <button value="close" class="button">Close</button>
            </div>
          </form>
        </dialog>
        <dialog class="dialog wide" id="archived-dialog" aria-labelledby="archived-heading">
          <form method="dialog">
            <h2 id="archived-heading">Archived chats</h2>
            <ul class="archived-list" id="archived-list"></ul>
            <p class="no-chats" id="archived-empty" hidden>No archived chats.</p>
            <div class="dialog-buttons"><button value="close" class="button">Close</button></div>
          </form>
        </dialog>
        """;
}
