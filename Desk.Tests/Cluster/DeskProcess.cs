using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Desk.Tests.Cluster;

/// <summary>
/// One desk as a real process: the test's build of Desk.Web (its apphost beside the tests) on 127.0.0.1:<see cref="Port"/>,
/// with the settings given as environment variables, as <c>scripts/cluster</c> runs it. It keeps its port across
/// restarts (the load balancer knows it by that), and has a HOME of its own, as if on a machine of its own: nothing is
/// shared through <c>~/.aspnet</c>. Its output goes to <see cref="LogPath"/>, one log across restarts.
/// </summary>
public sealed class DeskProcess : IDisposable
{
    private readonly IReadOnlyDictionary<string, string> _settings;
    private readonly string _folder;
    private readonly string _home;
    private readonly Lock _logLock = new();
    private readonly StreamWriter _log;
    private Process? _process;

    public DeskProcess(string name, int port, string folder, IReadOnlyDictionary<string, string> settings)
    {
        Name = name;
        Port = port;
        _settings = settings;
        _folder = folder;
        _home = Path.Combine(folder, "home-" + name);
        Directory.CreateDirectory(_home);
        LogPath = Path.Combine(folder, $"desk-{name}.log");
        _log = new StreamWriter(LogPath, append: true) { AutoFlush = true };
    }

    public string Name { get; }
    public int Port { get; }
    public string Url => $"http://127.0.0.1:{Port}";
    public string LogPath { get; }

    /// <summary>Whether the process lives (it may still be starting).</summary>
    public bool IsRunning => _process is { HasExited: false };

    /// <summary>Starts the desk and returns once it accepts connections (it has migrated and prepared its database by then).</summary>
    public async Task StartAsync(TimeSpan? timeout = null)
    {
        if (IsRunning) throw new InvalidOperationException($"Desk {Name} is running already.");
        _process?.Dispose();
        var start = new ProcessStartInfo(Path.Combine(AppContext.BaseDirectory, "Desk.Web"))
        {
            WorkingDirectory = AppContext.BaseDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var (key, value) in _settings) start.Environment[key] = value;
        start.Environment["ASPNETCORE_URLS"] = Url;
        start.Environment["HOME"] = _home;
        Write($"--- {DateTime.UtcNow:O} desk {Name} starts on {Url}");
        var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start Desk.Web.");
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) Write(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) Write(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;
        await File.WriteAllTextAsync(Path.Combine(_folder, $"desk-{Name}.pid"), process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));

        var deadline = Stopwatch.StartNew();
        var limit = timeout ?? TimeSpan.FromSeconds(90);
        while (!await AcceptsAsync())
        {
            if (process.HasExited)
                throw new InvalidOperationException($"Desk {Name} exited ({process.ExitCode}) while starting:\n{Tail(30)}");
            if (deadline.Elapsed > limit)
                throw new TimeoutException($"Desk {Name} did not accept connections on {Url} within {limit.TotalSeconds:0} s:\n{Tail(30)}");
            await Task.Delay(50);
        }
    }

    /// <summary>SIGKILL: no shutdown, no flush, wherever it was, as a machine that dies.</summary>
    public void Kill()
    {
        if (_process is null || _process.HasExited) return;
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
        Write($"--- {DateTime.UtcNow:O} desk {Name} killed with SIGKILL");
    }

    /// <summary>The last lines of the log, for a failure's message.</summary>
    public string Tail(int lines)
    {
        lock (_logLock) _log.Flush();
        using var reader = new StreamReader(new FileStream(LogPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite));
        var all = reader.ReadToEnd().Split('\n');
        return string.Join('\n', all.TakeLast(lines));
    }

    public void Dispose()
    {
        Kill();
        _process?.Dispose();
        lock (_logLock) _log.Dispose();
    }

    private void Write(string line)
    {
        lock (_logLock)
        {
            try { _log.WriteLine(line); }
            catch (ObjectDisposedException) { } // output of a process killed at the very end
        }
    }

    private async Task<bool> AcceptsAsync()
    {
        using var client = new TcpClient();
        try
        {
            await client.ConnectAsync(IPAddress.Loopback, Port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    /// <summary>Whether process <paramref name="pid"/> is a desk started with its HOME under <paramref name="folder"/>.</summary>
    public static bool LivesIn(int pid, string folder)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/environ").Split('\0').Any(v => v.StartsWith($"HOME={folder}/home-", StringComparison.Ordinal));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false; // gone
        }
    }

    /// <summary>
    /// A port nobody listens on now, for a desk or a balancer to keep across restarts: from 20000-32767, below Linux's
    /// ephemeral range, so no outgoing connection borrows it while its desk is down (as the scripts choose theirs).
    /// </summary>
    public static int FreePort()
    {
        for (var tries = 0; tries < 200; tries++)
        {
            var port = Random.Shared.Next(20_000, 32_768);
            try
            {
                using var listener = new TcpListener(IPAddress.Loopback, port);
                listener.Start();
                return port;
            }
            catch (SocketException)
            {
                // taken: another
            }
        }
        throw new InvalidOperationException("No free port found in 20000-32767.");
    }
}
