using System.Runtime.CompilerServices;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;

namespace Bff.Sessions.Internal;

/// <summary>
/// A request's own copy of a session's parsed ticket that shares the <see cref="Claim"/> objects with
/// the parsed one instead of copying each of them. A request gets its own principal, identities, claim
/// lists and properties, so it may add, remove and replace claims, and change its properties (the
/// cookie handler does on renewal), without another request seeing it; only the claims themselves,
/// immutable but for two members, are shared. Copying every claim (<see cref="AuthenticationTicket.Clone"/>)
/// was the largest allocation an authenticated request made for the session, some 2.5 KB.
/// </summary>
/// <remarks>
/// <para>
/// Important: a shared claim's <see cref="Claim.Subject"/> is the parsed identity, which no request
/// holds, and its <see cref="Claim.Properties"/> is shared too. Code that changes a claim's properties
/// or adds claims through <c>claim.Subject</c> would change them for the session's later requests (of the
/// same user: never another session's). Neither is done here, by ASP.NET Core or by the usual claims
/// code, which adds and removes claims on <c>User.Identity</c>.
/// </para>
/// <para>
/// <see cref="ClaimsIdentity"/> has no way to take a claim without copying it (a claim belongs to one
/// identity), so the claims go into the identity's own list directly. That list is a private field of
/// the runtime; if a runtime ever names it otherwise, every identity is copied as before
/// (<see cref="SharesClaims"/> is false, and a test says so).
/// </para>
/// </remarks>
internal static class SessionPrincipal
{
    /// <summary>Whether claims are shared (the runtime's claim list was found).</summary>
    internal static bool SharesClaims { get; } = Probe();

    /// <summary>A ticket of the request's own, sharing <paramref name="parsed"/>'s claims.</summary>
    public static AuthenticationTicket Copy(AuthenticationTicket parsed)
    {
        if (!SharesClaims)
        {
            return parsed.Clone();
        }

        var principal = new ClaimsPrincipal();
        foreach (var identity in parsed.Principal.Identities)
        {
            principal.AddIdentity(CopyIdentity(identity));
        }

        return new AuthenticationTicket(principal, parsed.Properties.Clone(), parsed.AuthenticationScheme);
    }

    private static ClaimsIdentity CopyIdentity(ClaimsIdentity parsed)
    {
        var copy = new ClaimsIdentity(parsed.AuthenticationType, parsed.NameClaimType, parsed.RoleClaimType)
        {
            Label = parsed.Label,
            BootstrapContext = parsed.BootstrapContext,
            Actor = parsed.Actor is { } actor ? CopyIdentity(actor) : null,
        };
        InstanceClaims(copy).AddRange(InstanceClaims(parsed));
        return copy;
    }

    private static bool Probe()
    {
        try
        {
            return InstanceClaims(new ClaimsIdentity()) is not null;
        }
        catch (MissingFieldException)
        {
            return false;
        }
    }

    [UnsafeAccessor(UnsafeAccessorKind.Field, Name = "_instanceClaims")]
    private static extern ref List<Claim> InstanceClaims(ClaimsIdentity identity);
}
