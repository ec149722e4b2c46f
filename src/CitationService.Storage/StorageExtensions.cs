using CitationService.Core.Storage;
using CitationService.Storage.PostgreSql;
using CitationService.Storage.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace CitationService.Storage;

/// <summary>Registers the citation store with a host.</summary>
public static class StorageExtensions
{
    /// <summary>
    /// Binds <see cref="StorageOptions"/> from the <c>Storage</c> section (validated at start) and registers
    /// <see cref="ICitationStore"/> as a singleton of the configured engine's store. The schema is not
    /// migrated here: call <see cref="ICitationStore.MigrateAsync"/> at startup.
    /// </summary>
    public static IHostApplicationBuilder AddCitationStore(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var contentRoot = builder.Environment.ContentRootPath;
        builder.Services.AddOptions<StorageOptions>()
            .BindConfiguration(StorageOptions.Section)
            .Validate(options => Enum.IsDefined(options.Provider), $"{StorageOptions.Section}:{nameof(StorageOptions.Provider)} must be Sqlite or PostgreSql.")
            .Validate(
                options => options.Provider != StorageProvider.Sqlite || !string.IsNullOrWhiteSpace(options.DatabasePath),
                $"{StorageOptions.Section}:{nameof(StorageOptions.DatabasePath)} must not be empty.")
            .Validate(
                options => options.Provider != StorageProvider.PostgreSql || !string.IsNullOrWhiteSpace(options.ConnectionString),
                $"{StorageOptions.Section}:{nameof(StorageOptions.ConnectionString)} must be set when {StorageOptions.Section}:{nameof(StorageOptions.Provider)} is PostgreSql.")
            .Validate(options => options.LockTimeout >= TimeSpan.FromSeconds(1), $"{StorageOptions.Section}:{nameof(StorageOptions.LockTimeout)} must be at least 1 second.")
            .ValidateOnStart();
        builder.Services.AddSingleton<ICitationStore>(services =>
        {
            var options = services.GetRequiredService<IOptions<StorageOptions>>().Value;
            return options.Provider == StorageProvider.PostgreSql
                ? new PostgreSqlCitationStore(options.ConnectionString, options.LockTimeout)
                : new SqliteCitationStore(ResolveDatabasePath(options.DatabasePath, contentRoot), options.LockTimeout);
        });
        return builder;
    }

    /// <summary>An absolute path stays; a relative one is taken from <paramref name="contentRoot"/>.</summary>
    public static string ResolveDatabasePath(string databasePath, string contentRoot)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(databasePath);
        return Path.GetFullPath(Path.IsPathRooted(databasePath) ? databasePath : Path.Combine(contentRoot, databasePath));
    }
}
