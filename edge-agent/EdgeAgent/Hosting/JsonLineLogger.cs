using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace Network.EdgeAgent.Hosting;

/// <summary>
/// The agent's logs: one JSON object a line on stdout, what journald and the NOC's log shipping read, in the shape of
/// the .NET JSON console formatter (<c>Timestamp</c> UTC, <c>EventId</c>, <c>LogLevel</c>, <c>Category</c>,
/// <c>Message</c>, <c>Exception</c>, and the message's named values under <c>State</c>). Written synchronously under a
/// lock: the agent logs a few lines a minute, and a logger thread with its queue would cost more memory than the writes.
/// Levels come from <c>Logging:LogLevel:Default</c> and <c>Logging:LogLevel:CATEGORY</c> (the longest matching prefix).
/// </summary>
public sealed class JsonLineLoggerFactory : ILoggerFactory
{
    private readonly Lock _lock = new();
    private readonly Stream _output;
    private readonly LineBuffer _buffer = new();
    private Utf8JsonWriter? _writer;
    private readonly (string Prefix, LogLevel Level)[] _levels;
    private readonly LogLevel _default;
    private readonly TimeProvider _time;

    public JsonLineLoggerFactory(Stream output, IConfiguration? configuration = null, TimeProvider? time = null)
    {
        _output = output;
        _time = time ?? TimeProvider.System;
        _default = LogLevel.Information;
        var levels = new List<(string, LogLevel)>();
        foreach (IConfigurationSection entry in configuration?.GetSection("Logging:LogLevel").GetChildren() ?? [])
        {
            if (!Enum.TryParse(entry.Value, ignoreCase: true, out LogLevel level) || !Enum.IsDefined(level))
            {
                continue; // an unknown level name keeps the default rather than silencing the agent
            }

            if (entry.Key == "Default")
            {
                _default = level;
            }
            else
            {
                levels.Add((entry.Key, level));
            }
        }

        _levels = [.. levels.OrderByDescending(l => l.Item1.Length)];
    }

    /// <summary>Logs to the process's stdout.</summary>
    public static JsonLineLoggerFactory ForStdout(IConfiguration? configuration = null) => new(Console.OpenStandardOutput(), configuration);

    public ILogger CreateLogger(string categoryName)
    {
        ArgumentNullException.ThrowIfNull(categoryName);
        LogLevel minimum = _default;
        foreach ((string prefix, LogLevel level) in _levels)
        {
            if (categoryName.StartsWith(prefix, StringComparison.Ordinal))
            {
                minimum = level;
                break;
            }
        }

        return new JsonLineLogger(this, categoryName, minimum);
    }

    /// <summary>Not supported: the agent has one log, its stdout.</summary>
    public void AddProvider(ILoggerProvider provider) => throw new NotSupportedException("the agent logs to stdout only");

    public void Dispose()
    {
        lock (_lock)
        {
            _writer?.Dispose();
            _writer = null;
        }
    }

    internal void Write<TState>(string category, LogLevel level, EventId eventId, TState state, Exception? exception, string message)
    {
        lock (_lock)
        {
            Utf8JsonWriter writer = _writer ??= new Utf8JsonWriter(_buffer);
            writer.Reset(_buffer.Reset());
            writer.WriteStartObject();
            writer.WriteString("Timestamp", _time.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
            writer.WriteNumber("EventId", eventId.Id);
            writer.WriteString("LogLevel", LevelName(level));
            writer.WriteString("Category", category);
            writer.WriteString("Message", message);
            if (exception is not null)
            {
                writer.WriteString("Exception", exception.ToString());
            }

            if (state is IReadOnlyList<KeyValuePair<string, object?>> values && values.Count > 0)
            {
                writer.WriteStartObject("State");
                foreach ((string key, object? value) in values)
                {
                    WriteValue(writer, key, value);
                }

                writer.WriteEndObject();
            }

            writer.WriteEndObject();
            writer.Flush();
            _buffer.Append((byte)'\n');
            try
            {
                _output.Write(_buffer.WrittenSpan);
                _output.Flush();
            }
            catch (IOException)
            {
                // stdout closed (journald restarted): the agent keeps working without its log
            }
        }
    }

    private static void WriteValue(Utf8JsonWriter writer, string key, object? value)
    {
        switch (value)
        {
            case null:
                writer.WriteNull(key);
                break;
            case bool b:
                writer.WriteBoolean(key, b);
                break;
            case int i:
                writer.WriteNumber(key, i);
                break;
            case long l:
                writer.WriteNumber(key, l);
                break;
            case ulong u:
                writer.WriteNumber(key, u);
                break;
            case double d when double.IsFinite(d):
                writer.WriteNumber(key, d);
                break;
            case IFormattable formattable:
                writer.WriteString(key, formattable.ToString(null, CultureInfo.InvariantCulture));
                break;
            default:
                writer.WriteString(key, value.ToString());
                break;
        }
    }

    private static string LevelName(LogLevel level) => level switch
    {
        LogLevel.Trace => "Trace",
        LogLevel.Debug => "Debug",
        LogLevel.Information => "Information",
        LogLevel.Warning => "Warning",
        LogLevel.Error => "Error",
        LogLevel.Critical => "Critical",
        _ => "None",
    };

    /// <summary>One reusable buffer for the line being written (under the factory's lock).</summary>
    private sealed class LineBuffer : System.Buffers.IBufferWriter<byte>
    {
        private byte[] _array = new byte[1024];
        private int _written;

        public ReadOnlySpan<byte> WrittenSpan => _array.AsSpan(0, _written);

        public LineBuffer Reset()
        {
            if (_array.Length > 64 * 1024)
            {
                _array = new byte[1024]; // one huge exception does not keep its buffer for the process's life
            }

            _written = 0;
            return this;
        }

        public void Append(byte value)
        {
            GetSpan(1)[0] = value;
            Advance(1);
        }

        public void Advance(int count) => _written += count;

        public Memory<byte> GetMemory(int sizeHint = 0)
        {
            Ensure(sizeHint);
            return _array.AsMemory(_written);
        }

        public Span<byte> GetSpan(int sizeHint = 0)
        {
            Ensure(sizeHint);
            return _array.AsSpan(_written);
        }

        private void Ensure(int sizeHint)
        {
            int need = Math.Max(sizeHint, 256);
            if (_array.Length - _written < need)
            {
                Array.Resize(ref _array, Math.Max(_array.Length * 2, _written + need));
            }
        }
    }
}

/// <summary>One category's logger.</summary>
internal sealed class JsonLineLogger(JsonLineLoggerFactory factory, string category, LogLevel minimum) : ILogger
{
    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None && logLevel >= minimum;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        ArgumentNullException.ThrowIfNull(formatter);
        if (IsEnabled(logLevel))
        {
            factory.Write(category, logLevel, eventId, state, exception, formatter(state, exception));
        }
    }
}
