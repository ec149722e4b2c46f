using CitationService.Core.Storage;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace CitationService.Server.Startup;

/// <summary>Healthy while the store answers a query; every gRPC service depends on it.</summary>
public sealed class StoreHealthCheck(ICitationStore store) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await store.PingAsync(cancellationToken);
            return HealthCheckResult.Healthy();
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return HealthCheckResult.Unhealthy("the store does not answer", e);
        }
    }
}
