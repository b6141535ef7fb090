namespace Bff.Sessions.Internal;

/// <summary>Names of the <c>AuthenticationProperties</c> items the BFF uses.</summary>
internal static class BffSessionProperties
{
    /// <summary>
    /// The item holding the server-side session key of the current cookie session, set by the
    /// ticket store when it loads a ticket, so that token and logout code find the session.
    /// </summary>
    public const string SessionKey = ".bff.session_key";
}
