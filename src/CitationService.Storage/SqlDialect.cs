namespace CitationService.Storage;

/// <summary>
/// The expressions engines spell differently; every other statement of <see cref="SqlCitationStore"/> is
/// SQL both engines read alike. Arguments are column expressions and parameter names of the store's own
/// statements, never caller input.
/// </summary>
public abstract class SqlDialect
{
    /// <summary>The LIMIT parameter value that sets no limit.</summary>
    public abstract int? NoLimit { get; }

    /// <summary>A condition: <paramref name="column"/> equals <paramref name="parameter"/>, ignoring ASCII case (arXiv ids, DOIs).</summary>
    public abstract string EqualsIgnoringCase(string column, string parameter);

    /// <summary>A condition: <paramref name="text"/> contains <paramref name="parameter"/> (exact characters).</summary>
    public abstract string Contains(string text, string parameter);

    /// <summary><paramref name="text"/> folded to lower case in every script, as .NET's <see cref="string.ToLowerInvariant()"/> folds it.</summary>
    public abstract string FoldCase(string text);

    /// <summary>A condition: <paramref name="column"/> is one of the values of the list parameter <paramref name="parameter"/>.</summary>
    public abstract string InList(string column, string parameter);

    /// <summary>
    /// A condition: <paramref name="column"/> is one of the strings bound to <paramref name="parameter"/> as
    /// <see cref="StringSet"/> gives them: one parameter however many strings (where <see cref="InList"/> may bind
    /// one per value).
    /// </summary>
    public abstract string InStringSet(string column, string parameter);

    /// <summary>The value <see cref="InStringSet"/>'s parameter is bound to for <paramref name="values"/>.</summary>
    public abstract object StringSet(string[] values);
}
