using Hearth.Server.Auth;
using Microsoft.Extensions.Options;

namespace Hearth.Server.Pages;

/// <summary>
/// The chat app's shell: <c>/</c> (a new chat) and <c>/chat/{id}</c> (one of the user's chats). The server draws the
/// structure (sidebar, thread, composer, dialogs) with every label; the modules under <c>/assets/app/</c> fill it through
/// the public API, as any other client would. A stranger goes to the sign-up page on a fresh Hearth and to sign-in
/// otherwise (which, in single-user mode, signs in by itself); a pending account sees that it waits for approval.
/// </summary>
internal static class ChatAppPage
{
    public static Task<IResult> Home(HttpContext http, IOptions<AuthOptions> auth, UserStore users, CancellationToken cancellationToken) =>
        ShowAsync(http, null, auth, users, cancellationToken);

    public static Task<IResult> Chat(string chatId, HttpContext http, IOptions<AuthOptions> auth, UserStore users, CancellationToken cancellationToken) =>
        ShowAsync(http, chatId, auth, users, cancellationToken);

    private static async Task<IResult> ShowAsync(HttpContext http, string? chatId, IOptions<AuthOptions> auth, UserStore users,
        CancellationToken cancellationToken)
    {
        var user = CurrentUser.From(http.User);
        if (user is null)
        {
            var fresh = auth.Value.Enabled && !await users.AnyAsync(cancellationToken);
            return TypedResults.Redirect(fresh ? "/signup" : "/signin?next=" + Html.U(http.Request.Path + http.Request.QueryString));
        }
        if (user.Role is not (Roles.User or Roles.Admin))
        {
            return Pending(user);
        }
        return PageLayout.Result(http, PageLayout.RenderApp("Chat", Shell(user, chatId), "/assets/app/app.js"));
    }

    private static IResult Pending(CurrentUser user) => new PageResult(Slices.Pending.Create(user), StatusCodes.Status403Forbidden);

    private static string Shell(CurrentUser user, string? chatId) => $"""
        <div class="app" id="app" data-chat="{Html.E(chatId)}">
          <aside class="sidebar" id="sidebar" aria-label="Chats">
            <div class="sidebar-head">
              <a class="brand" href="/"><img src="/assets/hearth.svg" alt="" width="22" height="22"> Hearth</a>
              <button type="button" class="icon drawer-close" id="drawer-close" aria-label="Close the chat list">✕</button>
            </div>
            <a class="button primary new-chat" id="new-chat" href="/" aria-keyshortcuts="Control+Shift+O">New chat</a>
            <search class="chat-search">
              <label class="visually-hidden" for="search">Search chats</label>
              <input type="search" id="search" placeholder="Search chats" aria-keyshortcuts="Control+K" aria-describedby="search-hint" autocomplete="off">
              <span class="visually-hidden" id="search-hint">Words, or tag:name, folder:name, pinned:true, archived:true</span>
            </search>
            <nav class="chat-list" id="search-results" aria-label="Search results" hidden></nav>
            <nav class="chat-list" id="chat-list" aria-label="Your chats" aria-busy="true"></nav>
            <p class="list-end" id="list-end" hidden>Loading more chats…</p>
            <div class="sidebar-foot">
              <a href="/artifacts">Artifacts</a>
              <button type="button" class="link" id="show-archived">Archived</button>
              <span class="who" title="{Html.E(user.Email)}">{Html.E(user.Name)}</span>
              <button type="button" class="link" id="signout">Sign out</button>
            </div>
          </aside>
          <div class="scrim" id="scrim" hidden></div>
          <section class="chat" aria-label="Conversation">
            <header class="chat-head">
              <button type="button" class="icon drawer-open" id="drawer-open" aria-label="Open the chat list" aria-controls="sidebar" aria-expanded="false">☰</button>
              <label class="model-pick">Model <select id="model" aria-describedby="model-note"></select></label>
              <span class="model-note" id="model-note" role="status"></span>
              <h1 class="chat-title" id="chat-title">New chat</h1>
              <div class="chat-tools" id="chat-tools" hidden>
                <ul class="tags" id="chat-tags" aria-label="Tags"></ul>
                <form class="add-tag" id="add-tag">
                  <label class="visually-hidden" for="new-tag">Add a tag</label>
                  <input type="text" id="new-tag" placeholder="+ tag" maxlength="100" autocomplete="off">
                </form>
                <div class="header-menu" id="chat-menu"></div>
              </div>
            </header>
            <div class="thread" id="thread">
              <ol class="messages" id="messages" aria-live="polite"></ol>
              <p class="empty-chat" id="empty-chat">Ask anything. Enter sends, Shift+Enter starts a new line.</p>
            </div>
            <form class="composer" id="composer">
              <label class="visually-hidden" for="prompt">Message</label>
              <textarea id="prompt" name="prompt" rows="1" placeholder="Message Hearth" aria-keyshortcuts="Shift+Escape" autofocus></textarea>
              <button type="submit" class="button primary" id="send">Send</button>
              <button type="button" class="button" id="stop" hidden>Stop</button>
            </form>
          </section>
        </div>
        {ChatAppDialogs.All}
        """;
}
