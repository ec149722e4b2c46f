using Grpc.Health.V1;
using Grpc.Reflection.V1Alpha;

namespace CitationService.Tests.Server;

/// <summary>The standard gRPC health and reflection services that tools such as buf curl rely on, on each engine.</summary>
public abstract class HostingTests(SeededServerFixture fixture)
{
    public sealed class OnSqlite(SeededServerFixture.OnSqlite fixture) : HostingTests(fixture), IClassFixture<SeededServerFixture.OnSqlite>;

    // The health check pings the store: replicas on PostgreSQL report serving only while their database answers.
    public sealed class OnPostgreSql(SeededServerFixture.OnPostgreSql fixture) : HostingTests(fixture), IClassFixture<SeededServerFixture.OnPostgreSql>;

    [Theory]
    [InlineData("")]
    [InlineData("citations.v1.HubService")]
    [InlineData("citations.v1.IngestionService")]
    [InlineData("citations.v1.ClassificationService")]
    public async Task Health_check_reports_serving_for_the_server_and_each_service(string service)
    {
        var client = new Health.HealthClient(fixture.Host.Channel);

        var response = await client.CheckAsync(new HealthCheckRequest { Service = service });

        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, response.Status);
    }

    [Fact]
    public async Task Reflection_lists_every_citations_v1_service()
    {
        var client = new ServerReflection.ServerReflectionClient(fixture.Host.Channel);
        using var call = client.ServerReflectionInfo();

        await call.RequestStream.WriteAsync(new ServerReflectionRequest { ListServices = "" });
        await call.RequestStream.CompleteAsync();
        Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None));
        var services = call.ResponseStream.Current.ListServicesResponse.Service.Select(s => s.Name).ToList();

        Assert.Contains("citations.v1.HubService", services);
        Assert.Contains("citations.v1.IngestionService", services);
        Assert.Contains("citations.v1.ClassificationService", services);
        Assert.Contains("grpc.health.v1.Health", services);
    }
}
