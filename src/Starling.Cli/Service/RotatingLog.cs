using System.Globalization;

namespace Starling.Cli.Service;

/// <summary>
/// The supervisor's log file: lines appended with a timestamp; at <see cref="MaxBytes"/> the file becomes
/// <c>starling.log.1</c> (older ones shift up to <see cref="Keep"/>) and a new one starts. Thread-safe.
/// </summary>
internal sealed class RotatingLog(string path, long maxBytes = 10 * 1024 * 1024, int keep = 3) : IDisposable
{
    private readonly Lock _gate = new();
    private StreamWriter? _writer;

    public long MaxBytes => maxBytes;

    public int Keep => keep;

    public void WriteLine(string line)
    {
        lock (_gate)
        {
            _writer ??= Open();
            if (_writer.BaseStream.Length >= maxBytes)
            {
                _writer.Dispose();
                Rotate();
                _writer = Open();
            }

            _writer.Write(DateTimeOffset.Now.ToString("yyyy-MM-dd HH:mm:ss.fff ", CultureInfo.InvariantCulture));
            _writer.WriteLine(line);
            _writer.Flush();
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _writer?.Dispose();
            _writer = null;
        }
    }

    private StreamWriter Open()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        return new StreamWriter(new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete));
    }

    private void Rotate()
    {
        File.Delete($"{path}.{keep}");
        for (var i = keep - 1; i >= 1; i--)
        {
            if (File.Exists($"{path}.{i}"))
            {
                File.Move($"{path}.{i}", $"{path}.{i + 1}");
            }
        }

        File.Move(path, path + ".1");
    }
}
