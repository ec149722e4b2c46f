using System.Text.RegularExpressions;

namespace CitationService.Storage;

/// <summary>The check that the parameters a store binds by name are exactly those its statement names.</summary>
internal static class StatementParameters
{
    /// <exception cref="InvalidOperationException"><paramref name="names"/> (each with its <c>@</c>) are not, each once, the parameters of <paramref name="sql"/>.</exception>
    public static void Check(string sql, IReadOnlyCollection<string> names)
    {
        var inSql = Regex.Matches(sql, @"@\w+").Select(m => m.Value).ToHashSet(StringComparer.Ordinal);
        if (!inSql.SetEquals(names) || names.Count != inSql.Count)
        {
            throw new InvalidOperationException($"The statement's parameters ({string.Join(", ", inSql)}) are not those bound ({string.Join(", ", names)}).");
        }
    }
}
