using System.Runtime.CompilerServices;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;

namespace Bff.Sessions.Internal;

/// <summary>
/// A session's ticket as parsed once from the stored bytes (see <see cref="BffTicketStore"/>), shared by
/// the requests of the session and never handed out itself: each request gets <see cref="CopyFor"/>, with
/// a principal, identities, claims and properties of its own, so that no request sees what another changed.
/// </summary>
/// <remarks>
/// The copy is what <see cref="AuthenticationTicket.Clone"/> makes, made with less work on the path
/// every authenticated request takes: the properties' dictionary is sized for the items the store adds,
/// so adding them never grows it, and the expiry is parsed from its text once per ticket, not on each read.
/// </remarks>
internal sealed class ParsedTicket
{
    private readonly AuthenticationTicket _ticket;
    private readonly DateTimeOffset? _expiresUtc;

    public ParsedTicket(AuthenticationTicket ticket)
    {
        _ticket = ticket;
        _expiresUtc = ticket.Properties.ExpiresUtc;
    }

    /// <summary>
    /// A copy for one request of the session <paramref name="sessionKey"/>, which carries the key in its
    /// properties and expires no later than the session does (<paramref name="sessionExpires"/>).
    /// </summary>
    public AuthenticationTicket CopyFor(string sessionKey, DateTimeOffset sessionExpires)
    {
        var source = _ticket.Properties;
        // Room for the items set below, so that setting them does not grow the dictionary.
        var expiresFromSession = _expiresUtc is null || _expiresUtc > sessionExpires;
        var items = new Dictionary<string, string?>(source.Items.Count + (_expiresUtc is null ? 2 : 1), StringComparer.Ordinal);
        foreach (var item in source.Items)
        {
            items.Add(item.Key, item.Value);
        }

        var properties = new AuthenticationProperties(items, source.Parameters.Count == 0 ? null : new Dictionary<string, object?>(source.Parameters, StringComparer.Ordinal));

        // The absolute expiry wins over the sliding one, so the cookie handler and pages see it.
        if (expiresFromSession)
        {
            properties.ExpiresUtc = sessionExpires;
        }

        items[BffSessionProperties.SessionKey] = sessionKey;
        return new AuthenticationTicket(CopyOf(_ticket.Principal), properties, _ticket.AuthenticationScheme);
    }

    private static ClaimsPrincipal CopyOf(ClaimsPrincipal principal)
    {
        // A session's principal has one identity: the constructor that takes it needs no enumerator.
        if (principal.Identities is IReadOnlyList<ClaimsIdentity> { Count: 1 } identities)
        {
            return new ClaimsPrincipal(CopyOf(identities[0]));
        }

        var copy = new ClaimsPrincipal();
        foreach (var identity in principal.Identities)
        {
            copy.AddIdentity(CopyOf(identity));
        }

        return copy;
    }

    /// <summary>
    /// What <see cref="ClaimsIdentity.Clone"/> makes of an identity the ticket serializer read (its
    /// types, bootstrap context, actor and claims: all the serializer keeps), with its
    /// list of claims sized once instead of grown four times for a Keycloak session's 30 or so claims.
    /// </summary>
    private static ClaimsIdentity CopyOf(ClaimsIdentity source)
    {
        var copy = new ClaimsIdentity(source.AuthenticationType, source.NameClaimType, source.RoleClaimType)
        {
            BootstrapContext = source.BootstrapContext,
        };
        if (source.Actor is { } actor)
        {
            copy.Actor = CopyOf(actor);
        }

        // A claim of another identity is added as a copy whose subject is the new identity.
        if (source.Claims is IReadOnlyList<Claim> claims)
        {
            ClaimListSizing.Reserve(copy, claims.Count);
            for (var i = 0; i < claims.Count; i++)
            {
                copy.AddClaim(claims[i]);
            }
        }
        else
        {
            copy.AddClaims(source.Claims);
        }

        return copy;
    }

    /// <summary>
    /// Sizes an identity's list of claims, which <see cref="ClaimsIdentity"/> keeps private and grows
    /// one claim at a time. Should a runtime name the list differently, identities simply grow it again.
    /// </summary>
    private static class ClaimListSizing
    {
        private static bool s_unavailable;

        public static void Reserve(ClaimsIdentity identity, int count)
        {
            if (s_unavailable)
            {
                return;
            }

            try
            {
                InstanceClaims(identity).EnsureCapacity(count);
            }
            catch (MissingFieldException)
            {
                s_unavailable = true;
            }
        }

        [UnsafeAccessor(UnsafeAccessorKind.Field, Name = "_instanceClaims")]
        private static extern ref List<Claim> InstanceClaims(ClaimsIdentity identity);
    }
}
