using System.Collections.Concurrent;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;

namespace Bff.Sessions.Internal;

/// <summary>
/// Reads tickets as <see cref="TicketSerializer"/> does, but with one string instance per distinct
/// claim type, value type and issuer across all tickets it read. The session store's memory keeps a
/// parsed ticket per active session; every claim of every session otherwise held its own copy of the
/// same few type and issuer strings (the issuer URL alone on each of some 25 claims), which was a
/// good part of what a cached session cost in memory.
/// </summary>
/// <remarks>
/// Claim values are not shared: they differ between users and are what a memory dump should not
/// be able to correlate. The pool is bounded: past <see cref="MaxShared"/> distinct strings, new
/// ones are simply not shared (an identity provider issuing ever new claim types cannot grow it).
/// </remarks>
internal sealed class SharingTicketSerializer : TicketSerializer
{
    private const int MaxShared = 1024;

    private readonly ConcurrentDictionary<string, string> _shared = new(StringComparer.Ordinal);

    /// <summary>The one instance the ticket store reads with.</summary>
    public static new SharingTicketSerializer Default { get; } = new();

    protected override Claim ReadClaim(BinaryReader reader, ClaimsIdentity identity)
    {
        var read = base.ReadClaim(reader, identity);
        var claim = new Claim(Share(read.Type), read.Value, Share(read.ValueType), Share(read.Issuer), Share(read.OriginalIssuer), identity);
        foreach (var property in read.Properties)
        {
            claim.Properties[property.Key] = property.Value;
        }

        return claim;
    }

    private string Share(string value)
    {
        if (_shared.TryGetValue(value, out var shared))
        {
            return shared;
        }

        return _shared.Count < MaxShared ? _shared.GetOrAdd(value, value) : value;
    }
}
