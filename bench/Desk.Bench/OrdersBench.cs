using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Desk.Bench;

/// <summary>
/// <c>dotnet run -c Release --project bench/Desk.Bench -- orders [--orders 1000000] [--customers N] [--provider sqlite|postgres] [--connection CS]</c>
/// Writes a shop export of that many orders (a fifth as many customers, none known to the desk), then runs the Release
/// desk's <c>import-orders</c> command on it twice against a fresh database (see <see cref="BenchDatabase.FreshAsync"/>):
/// the first run imports everything, the second finds everything already imported. Prints the command's own progress,
/// the wall time of each run (process start and migrations included), rows a second, and the command's peak memory,
/// which says whether it streamed; then checks the database holds every order once.
/// </summary>
public static class OrdersBench
{
    public static async Task<int> RunAsync(string[] args)
    {
        var orders = QueueBench.IntArg(args, "--orders", 1_000_000);
        var customers = QueueBench.IntArg(args, "--customers", Math.Max(1, orders / 5));
        var folder = Path.Combine(Path.GetTempPath(), "desk-orders-bench-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        var csv = Path.Combine(folder, "orders.csv");
        BenchDatabase db;
        try
        {
            db = await BenchDatabase.FreshAsync(args, Path.Combine(folder, "desk.db"), "desk_orders_bench");
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return 1;
        }
        try
        {
            var written = Stopwatch.StartNew();
            WriteExport(csv, orders, customers);
            Console.WriteLine($"Wrote {orders:N0} orders of {customers:N0} customers to {csv} ({new FileInfo(csv).Length / 1024.0 / 1024.0:N1} MB) in {written.Elapsed.TotalSeconds:N1} s");

            var web = Path.Combine(AppContext.BaseDirectory, "Desk.Web.dll");
            var environment = new Dictionary<string, string>(db.WebEnvironment())
            {
                ["ASPNETCORE_ENVIRONMENT"] = "Production",
                ["Desk__DemoData__SeedOnFirstRun"] = "false",
                ["Logging__LogLevel__Default"] = "Warning",
            };
            Console.WriteLine($"Machine: {Environment.ProcessorCount} cores ({QueueBench.Cpu()}), load average before: {LoadAverage()}");

            var results = new List<(string Name, double Seconds, long PeakMb)>();
            foreach (var name in new[] { "first import (all new)", "same file again (all already imported)" })
            {
                Console.WriteLine();
                Console.WriteLine($"== {name}");
                var (exit, seconds, peak) = await ImportAsync(web, csv, environment);
                if (exit != 0)
                {
                    Console.Error.WriteLine($"import-orders exited with {exit}");
                    return 1;
                }
                results.Add((name, seconds, peak));
            }

            Console.WriteLine();
            Console.WriteLine($"Orders import on {db.Provider.Name}, {orders:N0} rows, Release, {Environment.ProcessorCount} cores, load average after: {LoadAverage()}");
            Console.WriteLine($"{"run",-42} {"wall s",8} {"rows/s",10} {"peak MB",8}");
            foreach (var (name, seconds, peak) in results)
                Console.WriteLine($"{name,-42} {seconds,8:N1} {orders / seconds,10:N0} {peak,8:N0}");

            // After the clocks: every order of the file is there (once: the reference is unique), with its customer.
            var (stored, buyers) = (await db.QueryAsync("SELECT count(*), count(DISTINCT \"CustomerId\") FROM \"Orders\"",
                r => (r.GetInt64(0), r.GetInt64(1)))).Single();
            Console.WriteLine($"The database holds {stored:N0} orders of {buyers:N0} customers");
            if (stored != orders)
            {
                Console.Error.WriteLine($"error: expected {orders:N0} orders");
                return 1;
            }
            return 0;
        }
        finally
        {
            await db.DropAsync();
            try { Directory.Delete(folder, recursive: true); } catch (IOException) { }
        }
    }

    /// <summary>A realistic export: header names as shops write them, a quoted product with a comma, dates over two years.</summary>
    private static void WriteExport(string path, int orders, int customers)
    {
        var random = new Random(20261123);
        string[] products = ["Kettle", "Mug", "Teapot", "Lamp", "Sofa, grey", "Desk chair", "Blender", "Rice cooker", "Towel set", "Backpack"];
        string[] categories = ["Kitchen", "Living", "Office", "Bath", "Travel"];
        var start = new DateTime(2024, 11, 1, 0, 0, 0, DateTimeKind.Utc);
        using var writer = new StreamWriter(path, false, new UTF8Encoding(false), 1 << 16);
        writer.Write("Customer Email,Order ID,Order Date,Total,Product,Category,Customer Name\n");
        var line = new StringBuilder(160);
        for (var i = 0; i < orders; i++)
        {
            var customer = random.Next(customers);
            var product = random.Next(products.Length);
            var placed = start.AddSeconds(random.NextDouble() * 730 * 86_400);
            line.Clear()
                .Append("customer").Append(customer).Append("@shop.example,")
                .Append("SO-").Append(i.ToString("D8", CultureInfo.InvariantCulture)).Append(',')
                .Append(placed.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)).Append(',')
                .Append((random.Next(500, 200_000) / 100m).ToString("0.00", CultureInfo.InvariantCulture)).Append(',')
                .Append(products[product].Contains(',') ? $"\"{products[product]}\"" : products[product]).Append(',')
                .Append(categories[product % categories.Length]).Append(',')
                .Append("Customer ").Append(customer).Append('\n');
            writer.Write(line);
        }
    }

    /// <summary>Runs import-orders, echoing its output; returns the exit code, the wall time and the peak resident memory.</summary>
    private static async Task<(int Exit, double Seconds, long PeakMb)> ImportAsync(string web, string csv, Dictionary<string, string> environment)
    {
        var clock = Stopwatch.StartNew();
        using var process = QueueBench.Start(web, ["import-orders", csv], environment, redirect: true);
        process.StandardInput.Close();
        var peakKb = 0L;
        var echo = Task.Run(async () =>
        {
            while (await process.StandardOutput.ReadLineAsync() is { } line) Console.WriteLine(line);
        });
        var errors = process.StandardError.ReadToEndAsync();
        while (!process.HasExited)
        {
            peakKb = Math.Max(peakKb, PeakKb(process.Id));
            await Task.Delay(250);
        }
        await process.WaitForExitAsync();
        await echo;
        var seconds = clock.Elapsed.TotalSeconds;
        var stderr = await errors;
        if (stderr.Length > 0) Console.Error.Write(stderr);
        return (process.ExitCode, seconds, peakKb / 1024);
    }

    /// <summary>VmHWM: the most resident memory the process has had, in KB (0 when it is gone or not on Linux).</summary>
    private static long PeakKb(int pid)
    {
        try
        {
            var line = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
            return line is null ? 0 : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
        }
        catch (IOException) { return 0; }
        catch (UnauthorizedAccessException) { return 0; }
    }

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(" ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "?";
}
