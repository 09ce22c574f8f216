using System.Diagnostics;
using System.Globalization;
using Desk.Web.Data;

namespace Desk.Bench;

/// <summary>
/// <c>dotnet run -c Release --project bench/Desk.Bench -- cluster [--tickets 100000] [--connection CS] [--seconds 10] [--connections 16]</c>
/// Several desks on one PostgreSQL behind nginx, in one run on one machine: the same pages loaded with wrk against one
/// desk directly, through nginx to that one desk, and through nginx balancing two desks round-robin (no sticky
/// sessions: the sign-in cookie is read by either). Needs wrk and nginx (apt-get install wrk nginx).
/// </summary>
public static class ClusterBench
{
    public static async Task<int> RunAsync(string[] args)
    {
        var tickets = QueueBench.IntArg(args, "--tickets", 100_000);
        var seconds = QueueBench.IntArg(args, "--seconds", 10);
        var connections = QueueBench.IntArg(args, "--connections", 16);
        if (!File.Exists("/usr/bin/wrk")) return Fail("wrk is not installed: apt-get install wrk");
        if (!File.Exists("/usr/sbin/nginx")) return Fail("nginx is not installed: apt-get install nginx");
        var db = await BenchDatabase.ForPagesAsync(["--provider", "postgres", .. args], tickets);
        if (!await QueueBench.EnsureSeededAsync(db, tickets)) return Fail("the seed command failed");

        var web = Path.Combine(AppContext.BaseDirectory, "Desk.Web.dll");
        var environment = QueueBench.ServerEnvironment(db);
        const string password = "Bench-Password-1";
        await QueueBench.CreateAdminAsync(web, environment, password);

        var ports = new[] { QueueBench.FreePort(), QueueBench.FreePort() };
        var desks = ports.Select(p => QueueBench.Start(web, ["--urls", $"http://127.0.0.1:{p}"], environment)).ToList();
        var folder = Directory.CreateTempSubdirectory("desk-bench-nginx-").FullName;
        var (toOne, toTwo) = (QueueBench.FreePort(), QueueBench.FreePort());
        Process? nginx = null;
        try
        {
            foreach (var port in ports) await QueueBench.WaitHealthyAsync($"http://127.0.0.1:{port}");
            await SettledAsync(db);
            nginx = StartNginx(folder, toOne, [ports[0]], toTwo, ports);
            await QueueBench.WaitHealthyAsync($"http://127.0.0.1:{toTwo}");
            var cookie = await QueueBench.SignInAsync($"http://127.0.0.1:{toTwo}", "bench", password);
            var ticket = await QueueBench.SomeTicketAsync(db);
            var pages = new (string Name, string Path)[]
            {
                ("queue: open, page 1", "/"),
                ("ticket page", $"/tickets/{ticket}"),
                ("ceiling: queue view, no database", "/bench/render-only"),
            };
            var setups = new (string Name, int Port)[]
            {
                ("one desk, direct", ports[0]),
                ("nginx -> one desk", toOne),
                ("nginx -> two desks", toTwo),
            };
            Console.WriteLine();
            Console.WriteLine($"Desks at {tickets:N0} tickets on {db.Description}, {connections} connections, {seconds} s each, Release build, "
                + $"{Environment.ProcessorCount} cores ({QueueBench.Cpu()}); desks, nginx, PostgreSQL and wrk all on this machine");
            Console.WriteLine($"{"page",-34} {"setup",-20} {"req/s",9} {"p50 ms",8} {"p90 ms",8} {"p99 ms",8}");
            foreach (var (_, path) in pages)
                foreach (var (_, port) in setups)
                    await QueueBench.WarmAsync($"http://127.0.0.1:{port}{path}", cookie, connections);
            foreach (var (name, path) in pages)
                foreach (var (setup, port) in setups)
                {
                    var result = await QueueBench.LoadAsync($"http://127.0.0.1:{port}{path}", cookie, connections, seconds);
                    Console.WriteLine($"{name,-34} {setup,-20} {result.RequestsPerSecond,9:N0} {result.P50,8:0.00} {result.P90,8:0.00} {result.P99,8:0.00}");
                }
            return 0;
        }
        finally
        {
            if (nginx is not null) Stop(nginx);
            foreach (var desk in desks) desk.Kill(entireProcessTree: true);
            try { Directory.Delete(folder, recursive: true); } catch (IOException) { }
        }
    }

    /// <summary>
    /// Waits for the desks' background upkeep on a new desk to finish (the reports' first build of their kept outcomes,
    /// the first loyalty run): measured while it runs, every figure would be the upkeep's.
    /// </summary>
    private static async Task SettledAsync(BenchDatabase db)
    {
        var clock = Stopwatch.StartNew();
        var said = TimeSpan.Zero;
        while (true)
        {
            var waiting = await db.CountAsync("""
                SELECT (SELECT COUNT(*) FROM "OutcomesDirty") + CASE WHEN (SELECT "WindowMs" FROM "OutcomesState") IS NULL THEN 1 ELSE 0 END
                     + CASE WHEN EXISTS (SELECT 1 FROM "LoyaltyRuns") THEN 0 ELSE 1 END
                """);
            if (waiting == 0) break;
            if (clock.Elapsed - said > TimeSpan.FromSeconds(15))
            {
                Console.WriteLine($"  waiting for the desks' background upkeep: {waiting:N0} customers' report rows to build, {clock.Elapsed.TotalSeconds:0} s so far …");
                said = clock.Elapsed;
            }
            if (clock.Elapsed > TimeSpan.FromMinutes(20)) throw new InvalidOperationException("the background upkeep did not finish within 20 minutes");
            await Task.Delay(2_000);
        }
        Console.WriteLine($"  background upkeep finished ({clock.Elapsed.TotalSeconds:0} s after the desks were up)");
    }

    /// <summary>A private nginx: one server to the first desk alone, one balancing both round-robin.</summary>
    private static Process StartNginx(string folder, int toOne, int[] one, int toTwo, int[] two)
    {
        static string Upstream(string name, int[] ports) =>
            $"upstream {name} {{ {string.Concat(ports.Select(p => $"server 127.0.0.1:{p}; "))}keepalive 32; }}";
        static string Server(int port, string upstream) => $$"""
            server {
              listen 127.0.0.1:{{port}};
              location / {
                proxy_pass http://{{upstream}};
                proxy_http_version 1.1;
                proxy_set_header Connection "";
                proxy_set_header Host $host;
                proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
                proxy_set_header X-Forwarded-Proto $scheme;
              }
            }
            """;
        var config = $$"""
            worker_processes 1;
            daemon off;
            pid {{folder}}/nginx.pid;
            error_log {{folder}}/error.log warn;
            events { worker_connections 1024; }
            http {
              access_log off;
              client_body_temp_path {{folder}}/body;
              proxy_temp_path {{folder}}/proxy;
              fastcgi_temp_path {{folder}}/fastcgi;
              uwsgi_temp_path {{folder}}/uwsgi;
              scgi_temp_path {{folder}}/scgi;
              {{Upstream("one", one)}}
              {{Upstream("two", two)}}
              {{Server(toOne, "one")}}
              {{Server(toTwo, "two")}}
            }
            """;
        var path = Path.Combine(folder, "nginx.conf");
        File.WriteAllText(path, config);
        var start = new ProcessStartInfo("/usr/sbin/nginx") { UseShellExecute = false };
        foreach (var a in new[] { "-c", path, "-p", folder, "-e", Path.Combine(folder, "error.log") }) start.ArgumentList.Add(a);
        return Process.Start(start)!;
    }

    private static void Stop(Process nginx)
    {
        try { nginx.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
        nginx.WaitForExit(5_000);
    }

    private static int Fail(string message)
    {
        Console.Error.WriteLine($"error: {message}");
        return 1;
    }
}
