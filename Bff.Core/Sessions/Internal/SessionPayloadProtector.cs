using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Logging;

namespace Bff.Sessions.Internal;

/// <summary>
/// Turns a session into the protected parts a storage keeps (ticket, tokens, details), each under its
/// own Data Protection purpose, and back. A part that cannot be read (another key ring, a tampered
/// record) reads as no session and is logged, never thrown to the request.
/// </summary>
internal sealed class SessionPayloadProtector
{
    private readonly IDataProtector _ticketProtector;
    private readonly IDataProtector _tokenProtector;
    private readonly IDataProtector _detailsProtector;
    private readonly ILogger _logger;

    public SessionPayloadProtector(IDataProtectionProvider dataProtection, ILogger logger)
    {
        // The purposes of ticket and tokens are those the LiteDB store used before the storage was
        // split out, so their payloads stay readable.
        _ticketProtector = dataProtection.CreateProtector("Bff.Sessions.Ticket.v1");
        _tokenProtector = dataProtection.CreateProtector("Bff.Sessions.Tokens.v1");
        _detailsProtector = dataProtection.CreateProtector("Bff.Sessions.Details.v1");
        _logger = logger;
    }

    public byte[] ProtectTicket(byte[] ticket) => _ticketProtector.Protect(ticket);

    public byte[]? ProtectTokens(SessionTokens? tokens) =>
        tokens is null ? null : _tokenProtector.Protect(JsonSerializer.SerializeToUtf8Bytes(tokens));

    public byte[] ProtectDetails(ServerSession session) =>
        _detailsProtector.Protect(JsonSerializer.SerializeToUtf8Bytes(
            new SessionDetails(session.Subject, session.SessionId, session.Issuer, session.UserAgent, session.IpAddress, session.Key)));

    /// <summary>The session with its tokens unprotected, or <see langword="null"/> when they cannot be read.</summary>
    public ServerSession? WithTokens(ServerSession session, byte[]? protectedTokens)
    {
        if (protectedTokens is null)
        {
            return session;
        }

        try
        {
            return session with { Tokens = JsonSerializer.Deserialize<SessionTokens>(_tokenProtector.Unprotect(protectedTokens)) };
        }
        catch (Exception ex) when (ex is CryptographicException or JsonException)
        {
            _logger.SessionUnreadable(ex);
            return null;
        }
    }

    /// <summary>The session without its tokens, or <see langword="null"/> when it cannot be read.</summary>
    /// <remarks>
    /// Note: the returned session may be shared through the cache; its <see cref="ServerSession.Ticket"/>
    /// bytes are read, never changed, by the BFF.
    /// </remarks>
    public ServerSession? Unprotect(StoredSession stored)
    {
        try
        {
            var details = JsonSerializer.Deserialize<SessionDetails>(_detailsProtector.Unprotect(stored.Details))
                ?? throw new JsonException("The session details are empty.");
            if (details.Key is null || !string.Equals(SessionIndex.Key(details.Key), stored.Key, StringComparison.Ordinal))
            {
                // Written before storages knew sessions by their key's hash (or not the record it was
                // filed as): no cookie can reach it, so it is treated as absent and expires by itself.
                return null;
            }

            return new ServerSession
            {
                Key = details.Key,
                Subject = details.Subject,
                SessionId = details.SessionId,
                Issuer = details.Issuer,
                Ticket = _ticketProtector.Unprotect(stored.Ticket),
                Created = stored.Created,
                LastSeen = stored.LastSeen,
                Expires = stored.Expires,
                IdleExpires = stored.IdleExpires,
                UserAgent = details.UserAgent,
                IpAddress = details.IpAddress,
                Version = stored.Version,
            };
        }
        catch (Exception ex) when (ex is CryptographicException or JsonException)
        {
            _logger.SessionUnreadable(ex);
            return null;
        }
    }
}
