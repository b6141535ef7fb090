using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Bff.Sessions;
using Bff.Sessions.Internal;
using Bff.Tests.TestInfra;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Bff.Tests.Security;

/// <summary>
/// <c>DataProtection:CertificatePath</c>: the Data Protection keys (which decrypt every session
/// ticket and cookie) are written encrypted with the certificate, and read back with it after a restart.
/// </summary>
public sealed class KeyEncryptionTests : IDisposable
{
    private const string Password = "pfx-password";
    private readonly BffTempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private string WriteCertificate(string name, bool withPrivateKey = true)
    {
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest($"CN={name}", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
        using var exported = withPrivateKey ? certificate : X509CertificateLoader.LoadCertificate(certificate.Export(X509ContentType.Cert));
        var path = Path.Combine(_folder.Path, name + ".pfx");
        File.WriteAllBytes(path, exported.Export(X509ContentType.Pkcs12, Password));
        return path;
    }

    private IHost Host(string? certificatePath, string? password = Password, string? previousPath = null) => BffServices.CreateHost(
        _folder,
        new Dictionary<string, string?>
        {
            ["DataProtection:CertificatePath"] = certificatePath,
            ["DataProtection:CertificatePassword"] = password,
            ["DataProtection:PreviousCertificates:0:Path"] = previousPath,
            ["DataProtection:PreviousCertificates:0:Password"] = previousPath is null ? null : Password,
        });

    private static ServerSession Session() => new()
    {
        Key = "k1",
        Subject = "alice",
        Ticket = Encoding.UTF8.GetBytes("ticket"),
        Tokens = new SessionTokens("access", DateTimeOffset.UtcNow.AddMinutes(5), "refresh", "id"),
        Created = DateTimeOffset.UtcNow,
        LastSeen = DateTimeOffset.UtcNow,
        Expires = DateTimeOffset.UtcNow.AddHours(1),
        IdleExpires = DateTimeOffset.UtcNow.AddMinutes(30),
    };

    private string KeyFiles() => string.Concat(Directory.GetFiles(_folder.KeysPath, "*.xml").Select(File.ReadAllText));

    [Fact]
    public async Task Keys_are_encrypted_with_the_certificate_and_read_back_with_it_after_a_restart()
    {
        var certificate = WriteCertificate("keys");
        using (var host = Host(certificate))
        {
            await host.StartAsync();
            await host.Services.GetRequiredService<IInternalSessionStore>().SaveAsync(Session());
            await host.StopAsync();
        }

        var keys = KeyFiles();
        Assert.Contains("EncryptedData", keys, StringComparison.Ordinal);
        Assert.DoesNotContain("<value>", keys, StringComparison.Ordinal);

        using (var host = Host(certificate))
        {
            await host.StartAsync();
            Assert.Equal("refresh", (await host.Services.GetRequiredService<IInternalSessionStore>().GetAsync("k1"))?.Tokens?.RefreshToken);
            await host.StopAsync();
        }
    }

    [Fact]
    public async Task Without_a_certificate_the_key_is_written_in_the_clear()
    {
        using var host = Host(certificatePath: null);
        await host.StartAsync();
        await host.Services.GetRequiredService<IInternalSessionStore>().SaveAsync(Session());
        await host.StopAsync();

        Assert.Contains("<value>", KeyFiles(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Keys_encrypted_with_another_certificate_leave_sessions_ended_not_failing()
    {
        using (var host = Host(WriteCertificate("first")))
        {
            await host.StartAsync();
            await host.Services.GetRequiredService<IInternalSessionStore>().SaveAsync(Session());
            await host.StopAsync();
        }

        using (var host = Host(WriteCertificate("second")))
        {
            await host.StartAsync();
            Assert.Null(await host.Services.GetRequiredService<IInternalSessionStore>().GetAsync("k1"));
            await host.StopAsync();
        }
    }

    [Fact]
    public async Task After_a_rotation_the_previous_certificate_still_reads_the_keys_it_encrypted()
    {
        var first = WriteCertificate("first");
        var second = WriteCertificate("second");
        using (var host = Host(first))
        {
            await host.StartAsync();
            await host.Services.GetRequiredService<IInternalSessionStore>().SaveAsync(Session());
            await host.StopAsync();
        }

        using (var host = Host(second, previousPath: first))
        {
            await host.StartAsync();
            Assert.Equal("refresh", (await host.Services.GetRequiredService<IInternalSessionStore>().GetAsync("k1"))?.Tokens?.RefreshToken);
            await host.StopAsync();
        }
    }

    [Fact]
    public async Task A_previous_certificate_without_a_current_one_or_that_cannot_be_read_stops_start_up()
    {
        using (var host = Host(certificatePath: null, previousPath: WriteCertificate("old")))
        {
            var failure = await Assert.ThrowsAnyAsync<Exception>(() => host.StartAsync());
            Assert.Contains("DataProtection:PreviousCertificates needs DataProtection:CertificatePath", failure.Message, StringComparison.Ordinal);
        }

        using (var host = Host(WriteCertificate("current"), previousPath: Path.Combine(_folder.Path, "gone.pfx")))
        {
            var failure = await Assert.ThrowsAnyAsync<Exception>(() => host.StartAsync());
            Assert.Contains("DataProtection:PreviousCertificates:0:Path: there is no file at", failure.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_certificate_that_cannot_protect_keys_stops_start_up_with_the_reason()
    {
        var missing = Path.Combine(_folder.Path, "missing.pfx");
        var publicOnly = WriteCertificate("public-only", withPrivateKey: false);
        var good = WriteCertificate("good");

        Assert.Contains("there is no file at", await StartFailureAsync(missing), StringComparison.Ordinal);
        Assert.Contains("has no RSA private key", await StartFailureAsync(publicOnly), StringComparison.Ordinal);
        Assert.Contains("cannot be read as a PKCS#12", await StartFailureAsync(good, password: "wrong"), StringComparison.Ordinal);

        async Task<string> StartFailureAsync(string path, string password = Password)
        {
            using var host = Host(path, password);
            var failure = await Assert.ThrowsAnyAsync<Exception>(() => host.StartAsync());
            Assert.Contains("DataProtection:CertificatePath", failure.Message, StringComparison.Ordinal);
            return failure.Message;
        }
    }
}
