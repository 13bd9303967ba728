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
    public static Task<IResult> Home(HttpContext http, IOptions<AuthOptions> auth, UserStore users, UserDetailsStore details,
        CancellationToken cancellationToken) =>
        ShowAsync(http, null, auth, users, details, cancellationToken);

    public static Task<IResult> Chat(string chatId, HttpContext http, IOptions<AuthOptions> auth, UserStore users, UserDetailsStore details,
        CancellationToken cancellationToken) =>
        ShowAsync(http, chatId, auth, users, details, cancellationToken);

    private static async Task<IResult> ShowAsync(HttpContext http, string? chatId, IOptions<AuthOptions> auth, UserStore users,
        UserDetailsStore details, CancellationToken cancellationToken)
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
        var theme = UserTheme.Parse((await details.GetAsync(user.Id, cancellationToken)).Settings);
        return new PageResult(Slices.ChatApp.Create(new ChatAppView(user, chatId, theme)), policy: PageLayout.AppPolicy);
    }

    private static IResult Pending(CurrentUser user) => new PageResult(Slices.Pending.Create(user), StatusCodes.Status403Forbidden);
}

/// <summary>What <c>Slices/ChatApp.cshtml</c> needs: who is signed in, the chat to open (none for a new one), the theme.</summary>
public sealed record ChatAppView(CurrentUser User, string? ChatId, string Theme = "system");
