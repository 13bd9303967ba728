using System.Text.RegularExpressions;
using Hearth.Server.Common;

namespace Hearth.Server.Auth;

/// <summary>
/// What a new password must be (sign-up, adding a user, changing a password): at most 72 bytes of UTF-8, and, with
/// <c>ENABLE_PASSWORD_VALIDATION</c>, matching <c>PASSWORD_VALIDATION_REGEX_PATTERN</c> from its start, as Python's
/// <c>re.match</c> does upstream. A refusal names <c>PASSWORD_VALIDATION_HINT</c> when one is set.
/// </summary>
internal static class PasswordRules
{
    /// <summary>Open WebUI's default: a lower-case and an upper-case letter, a digit, a symbol, eight characters or more.</summary>
    public const string DefaultPattern = @"^(?=.*[a-z])(?=.*[A-Z])(?=.*\d)(?=.*[^\w\s]).{8,}$";

    /// <returns>A 400 detail, or null when the password may be set.</returns>
    public static string? Problem(string password, AuthOptions options)
    {
        if (Secrets.IsTooLong(password))
        {
            return Common.ErrorMessages.PasswordTooLong;
        }
        if (options.EnablePasswordValidation && !Compile(options.PasswordValidationPattern).IsMatch(password))
        {
            return options.PasswordValidationHint is { Length: > 0 } hint ? hint : ErrorMessages.PasswordNotValid;
        }
        return null;
    }

    /// <summary>The pattern anchored at the start (re.match), with a time limit against patterns that backtrack without end.</summary>
    public static Regex Compile(string pattern) =>
        new($@"\A(?:{pattern})", RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
}
