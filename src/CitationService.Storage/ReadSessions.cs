using System.Collections.Concurrent;
using System.Data.Common;

namespace CitationService.Storage;

/// <summary>
/// The connections a store keeps open between short reads (a hub, a paper, a page of papers), each with the
/// statements it has run kept prepared. On SQLite, opening a pooled connection and preparing, finalising and
/// closing a statement are most of a one-row look-up's cost (Microsoft.Data.Sqlite caches no statement across
/// opens); a statement run again on the connection that prepared it only binds and steps.
/// </summary>
/// <param name="open">Opens a connection, ready for the store's statements.</param>
/// <param name="kept">How many idle connections are kept for the next reads; 0 opens one per read and closes it after.</param>
internal sealed class ReadSessions(Func<CancellationToken, Task<DbConnection>> open, int kept) : IAsyncDisposable
{
    private readonly ConcurrentStack<ReadSession> _idle = new();
    private volatile bool _disposed;

    /// <summary>
    /// Runs <paramref name="sql"/> with <paramref name="parameters"/> (every parameter of the statement, each by its
    /// <c>@</c> name) on a lent connection; disposing the result ends the read and gives the connection back.
    /// </summary>
    /// <exception cref="InvalidOperationException"><paramref name="parameters"/> are not the parameters of <paramref name="sql"/>.</exception>
    public async Task<ShortRead> ReadAsync(string sql, (string Name, object? Value)[] parameters, CancellationToken cancellationToken)
    {
        var session = _idle.TryPop(out var idle) ? idle : new ReadSession(await open(cancellationToken));
        try
        {
            var command = session.Command(sql, parameters);
            return new ShortRead(this, session, await command.ExecuteReaderAsync(cancellationToken));
        }
        catch
        {
            await session.DisposeAsync();
            throw;
        }
    }

    /// <summary>How many connections are idle, kept open for the next reads.</summary>
    public int IdleCount => _idle.Count;

    /// <summary>Closes the idle connections; reads under way give theirs back as usual.</summary>
    public async ValueTask CloseIdleAsync()
    {
        while (_idle.TryPop(out var session))
        {
            await session.DisposeAsync();
        }
    }

    /// <summary>Closes the idle connections, and every connection given back from now on.</summary>
    public ValueTask DisposeAsync()
    {
        _disposed = true;
        return CloseIdleAsync();
    }

    private async ValueTask GiveBackAsync(ReadSession session)
    {
        if (_idle.Count < kept)
        {
            _idle.Push(session);
            // Given back after disposal began (or while it ran): closed here, as disposal would have.
            if (_disposed)
            {
                await CloseIdleAsync();
            }
            return;
        }
        await session.DisposeAsync();
    }

    /// <summary>One read's rows; disposing it closes the reader and gives its connection back.</summary>
    internal sealed class ShortRead(ReadSessions owner, ReadSession session, DbDataReader reader) : IAsyncDisposable
    {
        private bool _disposed;

        /// <summary>The statement's rows.</summary>
        public DbDataReader Reader => reader;

        public async ValueTask DisposeAsync()
        {
            if (_disposed)
            {
                return;
            }
            _disposed = true;
            try
            {
                // Resets the statement: the connection holds no read transaction while it waits for the next read.
                await reader.DisposeAsync();
            }
            catch
            {
                await session.DisposeAsync();
                throw;
            }
            await owner.GiveBackAsync(session);
        }
    }

    /// <summary>An open connection and the commands it has run, one per statement text, each prepared on first run.</summary>
    internal sealed class ReadSession(DbConnection connection) : IAsyncDisposable
    {
        private readonly Dictionary<string, DbCommand> _commands = new(StringComparer.Ordinal);

        /// <summary>This connection's command for <paramref name="sql"/>, its parameters set to <paramref name="parameters"/>.</summary>
        public DbCommand Command(string sql, (string Name, object? Value)[] parameters)
        {
            if (!_commands.TryGetValue(sql, out var command))
            {
                CheckParameters(sql, parameters);
                command = connection.CreateCommand();
                command.CommandText = sql;
                foreach (var (name, _) in parameters)
                {
                    var parameter = command.CreateParameter();
                    parameter.ParameterName = name;
                    command.Parameters.Add(parameter);
                }
                _commands.Add(sql, command);
            }
            if (command.Parameters.Count != parameters.Length)
            {
                throw new InvalidOperationException($"The statement was first run with {command.Parameters.Count} parameters, now with {parameters.Length}.");
            }
            for (var i = 0; i < parameters.Length; i++)
            {
                var parameter = command.Parameters[i];
                if (!string.Equals(parameter.ParameterName, parameters[i].Name, StringComparison.Ordinal))
                {
                    throw new InvalidOperationException($"The statement was first run with parameter {parameter.ParameterName} where {parameters[i].Name} is now given.");
                }
                parameter.Value = parameters[i].Value ?? DBNull.Value;
            }
            return command;
        }

        // Each statement whose parameters have been checked, with the names it was checked with, in order.
        private static readonly ConcurrentDictionary<string, string[]> Checked = new(StringComparer.Ordinal);

        private static void CheckParameters(string sql, (string Name, object? Value)[] parameters)
        {
            if (Checked.TryGetValue(sql, out var names) && SameNames(names, parameters))
            {
                return;
            }
            names = Array.ConvertAll(parameters, p => p.Name);
            StatementParameters.Check(sql, names);
            Checked[sql] = names;
        }

        private static bool SameNames(string[] names, (string Name, object? Value)[] parameters)
        {
            if (names.Length != parameters.Length)
            {
                return false;
            }
            for (var i = 0; i < names.Length; i++)
            {
                if (!string.Equals(names[i], parameters[i].Name, StringComparison.Ordinal))
                {
                    return false;
                }
            }
            return true;
        }

        public async ValueTask DisposeAsync()
        {
            foreach (var command in _commands.Values)
            {
                await command.DisposeAsync();
            }
            _commands.Clear();
            await connection.DisposeAsync();
        }
    }
}
