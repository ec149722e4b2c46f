using System.Globalization;
using System.Reflection;

namespace CitationService.Storage;

/// <summary>One versioned schema change: the SQL of an embedded <c>NNNN_description.sql</c> file.</summary>
public sealed record SchemaMigration(int Version, string Sql)
{
    /// <summary>
    /// The migrations embedded in <paramref name="assembly"/> under <paramref name="resourcePrefix"/> (an engine's
    /// migrations folder), in version order.
    /// </summary>
    /// <exception cref="InvalidOperationException">A file is not named NNNN_description.sql, or two share a version.</exception>
    public static IReadOnlyList<SchemaMigration> Load(Assembly assembly, string resourcePrefix)
    {
        ArgumentNullException.ThrowIfNull(assembly);
        ArgumentException.ThrowIfNullOrEmpty(resourcePrefix);
        var migrations = new List<SchemaMigration>();
        foreach (var name in assembly.GetManifestResourceNames())
        {
            if (!name.StartsWith(resourcePrefix, StringComparison.Ordinal) || !name.EndsWith(".sql", StringComparison.Ordinal))
            {
                continue;
            }
            var file = name[resourcePrefix.Length..];
            var separator = file.IndexOf('_', StringComparison.Ordinal);
            if (separator <= 0 || !int.TryParse(file.AsSpan(0, separator), NumberStyles.None, CultureInfo.InvariantCulture, out var version))
            {
                throw new InvalidOperationException($"Migration resource '{name}' is not named NNNN_description.sql.");
            }
            using var stream = assembly.GetManifestResourceStream(name)
                ?? throw new InvalidOperationException($"Migration resource '{name}' cannot be read.");
            using var reader = new StreamReader(stream);
            migrations.Add(new SchemaMigration(version, reader.ReadToEnd()));
        }
        migrations.Sort((a, b) => a.Version.CompareTo(b.Version));
        for (var i = 1; i < migrations.Count; i++)
        {
            if (migrations[i].Version == migrations[i - 1].Version)
            {
                throw new InvalidOperationException($"Two migrations have version {migrations[i].Version}.");
            }
        }
        return migrations;
    }
}
