using System.Security.Cryptography;
using System.Text;

namespace Bff.DevIdp.Login;

/// <summary>A user's time-based one-time password credential (Keycloak's <c>otp</c> credential, subtype <c>totp</c>).</summary>
internal sealed record OtpCredential(string Secret, int Digits, int Period, string Algorithm);

/// <summary>
/// RFC 6238 one-time passwords as Keycloak computes them: the key is the UTF-8 bytes of the stored secret
/// (the QR code shows their Base32), and a code of the period before or after is accepted too, as Keycloak's
/// default look-around window of one does.
/// </summary>
public static class DevIdpTotp
{
    /// <summary>The code for <paramref name="secret"/> at <paramref name="time"/> (6 digits, 30 s, HMAC-SHA1: Keycloak's defaults).</summary>
    public static string Code(string secret, DateTimeOffset time, int digits = 6, int period = 30, string algorithm = "HmacSHA1")
    {
        ArgumentNullException.ThrowIfNull(secret);
        var counter = time.ToUnixTimeSeconds() / period;
        Span<byte> message = stackalloc byte[8];
        for (var i = 7; i >= 0; i--)
        {
            message[i] = (byte)(counter & 0xff);
            counter >>= 8;
        }

        var key = Encoding.UTF8.GetBytes(secret);
        var hash = algorithm switch
        {
            "HmacSHA256" => HMACSHA256.HashData(key, message),
            "HmacSHA512" => HMACSHA512.HashData(key, message),
            // RFC 6238's default and Keycloak's (HmacSHA1): authenticator apps expect it; HMAC-SHA1 is not broken as a MAC.
#pragma warning disable CA5350
            _ => HMACSHA1.HashData(key, message),
#pragma warning restore CA5350
        };
        var offset = hash[^1] & 0x0f;
        var binary = ((hash[offset] & 0x7f) << 24) | (hash[offset + 1] << 16) | (hash[offset + 2] << 8) | hash[offset + 3];
        var modulo = (int)Math.Pow(10, digits);
        return (binary % modulo).ToString(System.Globalization.CultureInfo.InvariantCulture).PadLeft(digits, '0');
    }

    internal static bool Matches(OtpCredential credential, string? code, DateTimeOffset now)
    {
        if (string.IsNullOrEmpty(code))
        {
            return false;
        }

        var given = Encoding.ASCII.GetBytes(code.Trim());
        var matched = false;
        foreach (var step in new[] { -1, 0, 1 })
        {
            var expected = Encoding.ASCII.GetBytes(Code(credential.Secret, now.AddSeconds(step * credential.Period), credential.Digits, credential.Period, credential.Algorithm));
            matched |= expected.Length == given.Length && CryptographicOperations.FixedTimeEquals(expected, given);
        }

        return matched;
    }
}
