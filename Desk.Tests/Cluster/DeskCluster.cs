using System.Diagnostics;
using System.Globalization;
using Desk.Tests.Support;
using Desk.Web.Data;

namespace Desk.Tests.Cluster;

/// <summary>
/// Several desk processes (<see cref="DeskProcess"/>) on one PostgreSQL database of the run's private server, behind a
/// private nginx that <c>scripts/cluster balance</c> configures exactly as <c>scripts/cluster start</c> does:
/// round-robin, no sticky sessions, a dead desk skipped. Desk 1 starts alone (on an empty database it loads the demo
/// data when asked to), then the others. Everything is under one temp folder, deleted at the end unless asked to keep it.
/// </summary>
public sealed class DeskCluster : IAsyncDisposable
{
    private const string FolderPrefix = "desk-cluster-test-";
    private const string OwnerFile = "owner.pid";
    private static readonly string Script = Repository.PathOf("scripts", "cluster");

    private DeskCluster(string folder, TestDatabase database, IReadOnlyList<DeskProcess> desks, int balancerPort)
    {
        Folder = folder;
        Database = database;
        Desks = desks;
        BalancerPort = balancerPort;
    }

    public string Folder { get; }
    public TestDatabase Database { get; }
    public IReadOnlyList<DeskProcess> Desks { get; }
    public int BalancerPort { get; }
    public string BalancerUrl => $"http://127.0.0.1:{BalancerPort}";

    /// <summary>Keep <see cref="Folder"/> (the desks' and nginx's logs) after disposal: set when a test failed.</summary>
    public bool KeepFolder { get; set; }

    /// <summary>
    /// Starts <paramref name="count"/> desks with <paramref name="settings"/> (environment variables, e.g.
    /// <c>Desk__Mail__Smtp__Host</c>) over and above the cluster's own: PostgreSQL, production, no demo data unless
    /// <paramref name="demoTickets"/>, a public form without a practical limit, the balancer's address as the public one.
    /// </summary>
    public static async Task<DeskCluster> StartAsync(int count, IReadOnlyDictionary<string, string>? settings = null, int demoTickets = 0)
    {
        await StopAbandonedAsync();
        var folder = Directory.CreateTempSubdirectory(FolderPrefix).FullName;
        // nginx's workers (nobody) write their temp files under it.
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(folder, (UnixFileMode)0b111_101_101);
        await File.WriteAllTextAsync(Path.Combine(folder, OwnerFile), Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
        var database = new TestDatabase(DatabaseProvider.Postgres);
        var balancerPort = DeskProcess.FreePort();
        var all = new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["Desk__Database__Provider"] = "Postgres",
            ["Desk__Database__ConnectionString"] = database.ConnectionString,
            ["Desk__DemoData__SeedOnFirstRun"] = demoTickets > 0 ? "true" : "false",
            ["Desk__DemoData__Tickets"] = demoTickets.ToString(CultureInfo.InvariantCulture),
            ["Desk__Mail__PublicBaseUrl"] = $"http://127.0.0.1:{balancerPort}",
            ["Desk__Mail__DropFolder"] = Path.Combine(folder, "mail", "inbox"),
            ["Desk__Mail__PickupFolder"] = Path.Combine(folder, "mail", "outbox"),
            ["Desk__PublicForm__PostsPerWindow"] = "10000",
            // A killed desk's claimed outbox batch goes to the others after this long (120 s by default): within the
            // chaos run's wait for quiet.
            ["Desk__Mail__SendClaimSeconds"] = "10",
            ["Desk__ForwardedHeaders__KnownProxies__0"] = "127.0.0.1",
            ["Logging__LogLevel__Default"] = "Information",
            ["Logging__LogLevel__Microsoft.AspNetCore"] = "Warning",
            ["Logging__LogLevel__Microsoft.EntityFrameworkCore"] = "Warning",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string>()) all[key] = value;

        var desks = new List<DeskProcess>();
        var cluster = new DeskCluster(folder, database, desks, balancerPort);
        try
        {
            for (var i = 1; i <= count; i++) desks.Add(new DeskProcess(i.ToString(CultureInfo.InvariantCulture), DeskProcess.FreePort(), folder, all));
            await desks[0].StartAsync(); // alone: the demo data and roles, once
            await Task.WhenAll(desks.Skip(1).Select(d => d.StartAsync()));
            await RunScriptAsync(["balance", cluster.BalancerFolder, "--port", balancerPort.ToString(CultureInfo.InvariantCulture),
                .. desks.Select(d => d.Port.ToString(CultureInfo.InvariantCulture))]);
            return cluster;
        }
        catch
        {
            cluster.KeepFolder = true;
            await cluster.DisposeAsync();
            throw;
        }
    }

    /// <summary>nginx's folder (its configuration, access.log saying which desk answered, error.log).</summary>
    public string BalancerFolder => Path.Combine(Folder, "nginx");

    /// <summary>The last lines of every desk's log and of nginx's error log, for a failure's message.</summary>
    public string Logs(int lines = 25)
    {
        var text = new System.Text.StringBuilder();
        foreach (var desk in Desks) text.Append($"=== desk {desk.Name} ({desk.LogPath})\n").Append(desk.Tail(lines)).Append('\n');
        var errors = Path.Combine(BalancerFolder, "nginx", "error.log");
        if (File.Exists(errors)) text.Append($"=== nginx ({errors})\n").Append(string.Join('\n', File.ReadLines(errors).TakeLast(lines)));
        return text.ToString();
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var desk in Desks) desk.Dispose();
        try
        {
            if (Directory.Exists(BalancerFolder)) await RunScriptAsync(["stop", BalancerFolder]);
        }
        finally
        {
            Database.Dispose();
            if (!KeepFolder)
                try { Directory.Delete(Folder, recursive: true); } catch (IOException) { } // best effort on a temp folder
        }
    }

    /// <summary>
    /// A test run that was killed never disposed its cluster: its desks poll on and nginx listens. Stops those of clusters
    /// whose owning process is gone (a desk is known by its HOME under the folder) and deletes their folders, kept logs
    /// of failed runs included.
    /// </summary>
    private static async Task StopAbandonedAsync()
    {
        foreach (var folder in Directory.EnumerateDirectories(Path.GetTempPath(), FolderPrefix + "*"))
        {
            var owner = Path.Combine(folder, OwnerFile);
            if (!File.Exists(owner) || !int.TryParse(await File.ReadAllTextAsync(owner), out var pid) || Directory.Exists($"/proc/{pid}"))
                continue;
            try
            {
                foreach (var desk in Directory.EnumerateFiles(folder, "desk-*.pid"))
                    if (int.TryParse(await File.ReadAllTextAsync(desk), out var deskPid) && DeskProcess.LivesIn(deskPid, folder))
                        using (var process = Process.GetProcessById(deskPid)) process.Kill();
                var balancer = Path.Combine(folder, "nginx");
                if (Directory.Exists(balancer)) await RunScriptAsync(["stop", balancer]);
                Directory.Delete(folder, recursive: true);
            }
            catch (Exception e) when (e is InvalidOperationException or ArgumentException or IOException or UnauthorizedAccessException or System.ComponentModel.Win32Exception)
            {
                // Not ours to fix here: the new cluster uses other ports and another folder anyway.
            }
        }
    }

    private static async Task<string> RunScriptAsync(IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo(Script) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not run {Script}.");
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"scripts/cluster {string.Join(' ', start.ArgumentList)} did not finish within a minute.");
        }
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"scripts/cluster {string.Join(' ', start.ArgumentList)} failed ({process.ExitCode}): {(await errors).Trim()}");
        return await output;
    }
}
