using System.Net;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using CitationService.Contracts.V1;
using Grpc.Core;
using Grpc.Health.V1;
using Grpc.Net.Client;
using Grpc.Reflection.V1Alpha;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CitationService.Tests.Server;

/// <summary>API keys, rate limits, signed page tokens and TLS, each against the real service.</summary>
public sealed class SecurityTests(SeededServerFixture.OnSqlite seeded) : IClassFixture<SeededServerFixture.OnSqlite>, IAsyncLifetime
{
    private const string NpoTitle = "Negative Preference Optimization: From Catastrophic Collapse to Effective Unlearning";
    private const string SecondApiKey = "second-test-key-93d0";
    private readonly TempFolder _folder = new();
    private static readonly Dictionary<string, string> KeysRequiredForReads = new() { ["Security:RequireKeyForReads"] = "true" };
    private readonly List<ServerHost> _hosts = [];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var host in _hosts)
        {
            await host.DisposeAsync();
        }
        _folder.Dispose();
    }

    [Fact]
    public async Task IngestHubPage_is_unauthenticated_and_writes_nothing_when_no_key_is_configured()
    {
        var host = Start(apiKeys: []);

        var e = await Assert.ThrowsAsync<RpcException>(() => Ingest(host.Channel));

        Assert.Equal(StatusCode.Unauthenticated, e.StatusCode);
        Assert.Contains("no API key is configured on the server", e.Status.Detail);
        var lookup = await Assert.ThrowsAsync<RpcException>(() =>
            new HubService.HubServiceClient(host.Channel).GetHubAsync(new GetHubRequest { Title = NpoTitle }).ResponseAsync);
        Assert.Equal(StatusCode.NotFound, lookup.StatusCode);
    }

    [Fact]
    public async Task IngestHubPage_is_unauthenticated_when_the_call_carries_no_key()
    {
        var host = Start();

        var e = await Assert.ThrowsAsync<RpcException>(() => Ingest(host.CreateChannel(apiKey: null)));

        Assert.Equal(StatusCode.Unauthenticated, e.StatusCode);
        Assert.StartsWith("authorization:", e.Status.Detail);
    }

    [Fact]
    public async Task IngestHubPage_is_permission_denied_when_the_key_is_wrong()
    {
        var host = Start();

        var e = await Assert.ThrowsAsync<RpcException>(() => Ingest(host.CreateChannel(ServerHost.ApiKey + "x")));

        Assert.Equal(StatusCode.PermissionDenied, e.StatusCode);
        Assert.StartsWith("authorization:", e.Status.Detail);
    }

    [Theory]
    [InlineData(ServerHost.ApiKey)]
    [InlineData(SecondApiKey)]
    public async Task IngestHubPage_stores_the_page_when_the_call_carries_a_configured_key(string apiKey)
    {
        var host = Start(apiKeys: [ServerHost.ApiKey, SecondApiKey]);

        var reply = await Ingest(host.CreateChannel(apiKey));

        Assert.True(reply.HubCreated);
        var hub = (await new HubService.HubServiceClient(host.Channel).GetHubAsync(new GetHubRequest { HubId = reply.HubId })).Hub;
        Assert.Equal(NpoTitle, hub.Title);
    }

    [Fact]
    public async Task Reads_are_open_to_calls_without_a_key_by_default()
    {
        var anonymous = seeded.Host.CreateChannel(apiKey: null);

        var hub = (await new HubService.HubServiceClient(anonymous).GetHubAsync(new GetHubRequest { Title = NpoTitle })).Hub;
        var models = await new ClassificationService.ClassificationServiceClient(anonymous).GetModelsAsync(new GetModelsRequest());

        Assert.Equal(NpoTitle, hub.Title);
        Assert.NotEmpty(models.Models);
    }

    [Fact]
    public async Task Reads_are_unauthenticated_without_a_key_when_keys_are_required_for_reads()
    {
        var host = Start(seedDirectory: null, settings: KeysRequiredForReads);
        var anonymous = new HubService.HubServiceClient(host.CreateChannel(apiKey: null));

        var e = await Assert.ThrowsAsync<RpcException>(() => anonymous.GetHubAsync(new GetHubRequest { Title = NpoTitle }).ResponseAsync);
        var stream = await Assert.ThrowsAsync<RpcException>(() =>
            anonymous.StreamCitingPapers(new StreamCitingPapersRequest { HubId = "any" }).ResponseStream.MoveNext(CancellationToken.None));
        var withKey = (await new HubService.HubServiceClient(host.Channel).GetHubAsync(new GetHubRequest { Title = NpoTitle })).Hub;

        Assert.Equal(StatusCode.Unauthenticated, e.StatusCode);
        Assert.Equal(StatusCode.Unauthenticated, stream.StatusCode);
        Assert.Equal(NpoTitle, withKey.Title);
    }

    [Fact]
    public async Task Health_and_reflection_answer_calls_without_a_key_when_keys_are_required_for_reads()
    {
        var host = Start(settings: KeysRequiredForReads);
        var anonymous = host.CreateChannel(apiKey: null);

        var health = await new Health.HealthClient(anonymous).CheckAsync(new HealthCheckRequest { Service = "citations.v1.IngestionService" });
        using var reflection = new ServerReflection.ServerReflectionClient(anonymous).ServerReflectionInfo();
        await reflection.RequestStream.WriteAsync(new ServerReflectionRequest { ListServices = "" });
        await reflection.RequestStream.CompleteAsync();

        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, health.Status);
        Assert.True(await reflection.ResponseStream.MoveNext(CancellationToken.None));
        Assert.Contains("citations.v1.HubService", reflection.ResponseStream.Current.ListServicesResponse.Service.Select(s => s.Name));
    }

    [Theory]
    [InlineData(" ")]
    [InlineData("")]
    [InlineData(" padded-key")]
    public async Task Start_fails_naming_the_setting_when_an_api_key_is_blank(string apiKey)
    {
        await using var factory = ServerHost.CreateFactory(TestDatabase.SqliteFile(DatabasePath), seedDirectory: "", apiKeys: [ServerHost.ApiKey, apiKey]);

        var e = Assert.ThrowsAny<Exception>(() => factory.Server);

        Assert.Contains("Security:ApiKeys:1", e.Message);
    }

    [Fact]
    public async Task Start_fails_naming_the_setting_when_the_page_token_key_is_shorter_than_32_bytes()
    {
        await using var factory = ServerHost.CreateFactory(TestDatabase.SqliteFile(DatabasePath), seedDirectory: "",
            configure: Apply(new Dictionary<string, string> { ["Security:PageTokenKey"] = Convert.ToBase64String(new byte[31]) }));

        var e = Assert.ThrowsAny<Exception>(() => factory.Server);

        Assert.Contains("Security:PageTokenKey", e.Message);
    }

    [Fact]
    public async Task Logs_never_contain_an_api_key_whether_accepted_or_refused()
    {
        var logs = new LogCapture();
        const string WrongKey = "wrong-key-5b7e";
        var host = Start(apiKeys: [ServerHost.ApiKey, SecondApiKey], configure: web => web.ConfigureLogging(logging =>
            logging.AddProvider(logs).AddFilter<LogCapture>(null, LogLevel.Trace)));

        await Ingest(host.Channel);
        await Ingest(host.CreateChannel(SecondApiKey));
        await Assert.ThrowsAsync<RpcException>(() => Ingest(host.CreateChannel(WrongKey)));
        await Assert.ThrowsAsync<RpcException>(() => Ingest(host.CreateChannel(apiKey: null)));

        var lines = logs.Entries.Select(entry => $"{entry.Category} {entry.Message} {entry.Exception}").ToList();
        Assert.Contains(lines, line => line.Contains("PermissionDenied", StringComparison.Ordinal));
        Assert.All(lines, line =>
        {
            Assert.DoesNotContain(ServerHost.ApiKey, line, StringComparison.Ordinal);
            Assert.DoesNotContain(SecondApiKey, line, StringComparison.Ordinal);
            Assert.DoesNotContain(WrongKey, line, StringComparison.Ordinal);
        });
    }

    [Fact]
    public async Task Calls_beyond_a_clients_burst_are_resource_exhausted_while_other_clients_and_health_get_through()
    {
        const int Burst = 3;
        var host = Start(seedDirectory: null, apiKeys: [ServerHost.ApiKey, SecondApiKey], settings: new Dictionary<string, string>
        {
            ["RateLimiting:PermitsPerSecond"] = "1",
            ["RateLimiting:Burst"] = $"{Burst}",
        });
        var first = new HubService.HubServiceClient(host.Channel);
        var request = new GetHubRequest { Title = NpoTitle };

        for (var i = 0; i < Burst; i++)
        {
            await first.GetHubAsync(request);
        }
        // One permit comes back each second; a handful more calls made at once cannot all fit.
        var refused = await Assert.ThrowsAsync<RpcException>(async () =>
        {
            for (var i = 0; i < 5; i++)
            {
                await first.GetHubAsync(request);
            }
        });
        var other = await new HubService.HubServiceClient(host.CreateChannel(SecondApiKey)).GetHubAsync(request);
        var health = await new Health.HealthClient(host.Channel).CheckAsync(new HealthCheckRequest());

        Assert.Equal(StatusCode.ResourceExhausted, refused.StatusCode);
        Assert.Equal(NpoTitle, other.Hub.Title);
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, health.Status);
    }

    [Fact]
    public async Task ListCitingPapers_refuses_every_bit_flip_truncation_or_padding_of_a_page_token()
    {
        var client = new HubService.HubServiceClient(seeded.Host.Channel);
        var hub = (await client.GetHubAsync(new GetHubRequest { Title = NpoTitle })).Hub;
        var request = new ListCitingPapersRequest { HubId = hub.Id, PageSize = 5 };
        var token = (await client.ListCitingPapersAsync(request)).NextPageToken;

        await AssertEveryAlterationRefusedAsync(token, altered => client.ListCitingPapersAsync(new ListCitingPapersRequest(request) { PageToken = altered }).ResponseAsync);
    }

    [Fact]
    public async Task ListHubs_refuses_every_bit_flip_truncation_or_padding_of_a_page_token()
    {
        var client = new HubService.HubServiceClient(seeded.Host.Channel);
        var token = (await client.ListHubsAsync(new ListHubsRequest { PageSize = 1 })).NextPageToken;

        await AssertEveryAlterationRefusedAsync(token, altered => client.ListHubsAsync(new ListHubsRequest { PageSize = 1, PageToken = altered }).ResponseAsync);
    }

    [Fact]
    public async Task ListHubs_accepts_a_page_token_another_host_issued_when_both_are_configured_with_the_same_page_token_key()
    {
        var first = new HubService.HubServiceClient(Start(seedDirectory: null, settings: SharedPageTokenKey).Channel);
        var second = new HubService.HubServiceClient(Start(seedDirectory: null, settings: SharedPageTokenKey).Channel);
        var token = (await first.ListHubsAsync(new ListHubsRequest { PageSize = 1 })).NextPageToken;

        var fromFirst = await first.ListHubsAsync(new ListHubsRequest { PageSize = 1, PageToken = token });
        var fromSecond = await second.ListHubsAsync(new ListHubsRequest { PageSize = 1, PageToken = token });

        Assert.Equal(fromFirst.Hubs.Select(h => h.Id), fromSecond.Hubs.Select(h => h.Id));
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("{\"Fingerprint\":\"0123456789abcdef\",\"Position\":0}")]
    [InlineData("{\"Key\":\"k\",\"Position\":0}")]
    public async Task ListHubs_refuses_a_token_signed_with_the_configured_key_whose_payload_is_not_one_the_service_writes(string payload)
    {
        var client = new HubService.HubServiceClient(Start(settings: SharedPageTokenKey).Channel);
        var bytes = System.Text.Encoding.UTF8.GetBytes(payload);
        var token = System.Buffers.Text.Base64Url.EncodeToString([.. bytes, .. HMACSHA256.HashData(PageTokenKey, bytes)]);

        var e = await Assert.ThrowsAsync<RpcException>(() => client.ListHubsAsync(new ListHubsRequest { PageToken = token }).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, e.StatusCode);
        Assert.Equal("page_token: is not a page token this service issued", e.Status.Detail);
    }

    private static readonly byte[] PageTokenKey = [.. Enumerable.Range(1, 32).Select(i => (byte)i)];

    private static readonly Dictionary<string, string> SharedPageTokenKey = new() { ["Security:PageTokenKey"] = Convert.ToBase64String(PageTokenKey) };

    [Fact]
    public async Task Tls_calls_succeed_when_the_client_trusts_the_servers_ca_and_fail_when_it_does_not()
    {
        using var ca = CreateCertificateAuthority();
        using var serverCertificate = CreateServerCertificate(ca);
        var certificatePath = Path.Combine(_folder.Path, "server.pfx");
        const string Password = "test-pfx-password";
        await File.WriteAllBytesAsync(certificatePath, serverCertificate.Export(X509ContentType.Pfx, Password));
        // The configuration the README documents, on a port the OS picks.
        await using var factory = ServerHost.CreateFactory(TestDatabase.SqliteFile(DatabasePath), configure: Apply(new Dictionary<string, string>
        {
            ["Kestrel:Endpoints:Https:Url"] = "https://127.0.0.1:0",
            ["Kestrel:Endpoints:Https:Certificate:Path"] = certificatePath,
            ["Kestrel:Endpoints:Https:Certificate:Password"] = Password,
        }));
        factory.UseKestrel();
        factory.StartServer();
        var address = factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        Assert.StartsWith("https://127.0.0.1:", address);

        var trusting = new SocketsHttpHandler();
        trusting.SslOptions.CertificateChainPolicy = new X509ChainPolicy
        {
            TrustMode = X509ChainTrustMode.CustomRootTrust,
            CustomTrustStore = { ca },
            RevocationMode = X509RevocationMode.NoCheck,
        };
        using var trusted = GrpcChannel.ForAddress(address, new GrpcChannelOptions { HttpHandler = trusting });
        using var untrusted = GrpcChannel.ForAddress(address, new GrpcChannelOptions { HttpHandler = new SocketsHttpHandler() });

        var hub = (await new HubService.HubServiceClient(trusted).GetHubAsync(new GetHubRequest { Title = NpoTitle })).Hub;
        var e = await Assert.ThrowsAsync<RpcException>(() =>
            new HubService.HubServiceClient(untrusted).GetHubAsync(new GetHubRequest { Title = NpoTitle }).ResponseAsync);

        Assert.Equal(NpoTitle, hub.Title);
        // The handshake fails: the client cannot build a chain to a root it trusts.
        Assert.IsType<AuthenticationException>(e.Status.DebugException?.InnerException);
    }

    private string DatabasePath => Path.Combine(_folder.Path, $"citations-{_hosts.Count}.db");

    private ServerHost Start(
        string? seedDirectory = "", IReadOnlyList<string>? apiKeys = null, IReadOnlyDictionary<string, string>? settings = null, Action<IWebHostBuilder>? configure = null)
    {
        var host = ServerHost.Start(TestDatabase.SqliteFile(DatabasePath), seedDirectory, apiKeys: apiKeys, configure: web =>
        {
            Apply(settings)(web);
            configure?.Invoke(web);
        });
        _hosts.Add(host);
        return host;
    }

    private static Action<IWebHostBuilder> Apply(IReadOnlyDictionary<string, string>? settings) => web =>
    {
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            web.UseSetting(key, value);
        }
    };

    private static Task<IngestHubPageResponse> Ingest(GrpcChannel channel) =>
        new IngestionService.IngestionServiceClient(channel)
            .IngestHubPageAsync(new IngestHubPageRequest { PageText = SeedPages.Text(SeedPages.Npo) }).ResponseAsync;

    /// <summary>
    /// Flips each bit of the token's characters (the low seven, so each stays ASCII) and each bit of the bytes
    /// it encodes, cuts it at every length and pads it, and checks that the service refuses every altered token
    /// with INVALID_ARGUMENT naming page_token, and still accepts the original.
    /// </summary>
    private static async Task AssertEveryAlterationRefusedAsync<T>(string token, Func<string, Task<T>> list)
    {
        Assert.NotEmpty(token);
        List<string> altered = [token + "=", token + "==", token + " ", " " + token, token.Insert(token.Length / 2, " ")];
        altered.AddRange(Enumerable.Range(1, token.Length - 1).Select(length => token[..length]));
        for (var i = 0; i < token.Length; i++)
        {
            for (var bit = 0; bit < 7; bit++)
            {
                altered.Add(string.Concat(token.AsSpan(0, i), ((char)(token[i] ^ (1 << bit))).ToString(), token.AsSpan(i + 1)));
            }
        }
        var bytes = System.Buffers.Text.Base64Url.DecodeFromChars(token);
        for (var bit = 0; bit < bytes.Length * 8; bit++)
        {
            var flipped = (byte[])bytes.Clone();
            flipped[bit / 8] ^= (byte)(1 << (bit % 8));
            altered.Add(System.Buffers.Text.Base64Url.EncodeToString(flipped));
        }

        var accepted = new List<string>();
        foreach (var candidate in altered.Distinct().Where(candidate => candidate != token))
        {
            try
            {
                await list(candidate);
                accepted.Add(candidate);
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.InvalidArgument && e.Status.Detail.StartsWith("page_token:", StringComparison.Ordinal))
            {
                // Refused, as it should be.
            }
        }

        Assert.True(altered.Count > 500, $"only {altered.Count} altered tokens");
        Assert.True(accepted.Count == 0, $"{accepted.Count} of {altered.Count} altered tokens were accepted, e.g. {accepted.FirstOrDefault()}");
        await list(token);
    }

    private static X509Certificate2 CreateCertificateAuthority()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=CitationService test CA", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: true, hasPathLengthConstraint: true, pathLengthConstraint: 0, critical: true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, critical: true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, critical: false));
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddHours(1));
    }

    private static X509Certificate2 CreateServerCertificate(X509Certificate2 ca)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        names.AddDnsName("localhost");
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, critical: true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, critical: true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], critical: false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(ca, includeKeyIdentifier: true, includeIssuerAndSerial: false));
        using var signed = request.Create(ca, DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddHours(1), RandomNumberGenerator.GetBytes(16));
        return signed.CopyWithPrivateKey(key);
    }
}
