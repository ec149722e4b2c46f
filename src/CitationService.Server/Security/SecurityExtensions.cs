using CitationService.Server.Grpc;
using Grpc.AspNetCore.Server;
using Microsoft.Extensions.Options;

namespace CitationService.Server.Security;

/// <summary>API keys, per-client rate limits and signed page tokens for the gRPC surface.</summary>
public static class SecurityExtensions
{
    /// <summary>
    /// Binds <see cref="SecurityOptions"/> and <see cref="RateLimitingOptions"/> (validated at start) and puts
    /// <see cref="AccessInterceptor"/> in front of every gRPC service.
    /// </summary>
    public static IHostApplicationBuilder AddCitationSecurity(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<SecurityOptions>().BindConfiguration(SecurityOptions.Section).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<SecurityOptions>, SecurityOptionsValidator>();
        builder.Services.AddOptions<RateLimitingOptions>().BindConfiguration(RateLimitingOptions.Section).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<RateLimitingOptions>, RateLimitingOptionsValidator>();
        builder.Services.AddSingleton<ApiKeys>();
        builder.Services.AddSingleton<ClientRateLimiter>();
        builder.Services.AddSingleton<PageTokens>();
        builder.Services.AddSingleton<AccessInterceptor>();
        builder.Services.Configure<GrpcServiceOptions>(options => options.Interceptors.Add<AccessInterceptor>());
        return builder;
    }
}
