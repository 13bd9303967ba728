namespace Hearth.Tests.Infrastructure;

/// <summary>A signed-in user of a test app, with a client that sends their token.</summary>
public sealed record TestUser(string Id, string Email, string Password, string Role, string Token, HttpClient Client);
