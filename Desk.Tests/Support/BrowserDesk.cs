using System.Net;
using Microsoft.Playwright;

namespace Desk.Tests.Support;

/// <summary>
/// The desk on a real Kestrel port on 127.0.0.1 and Debian's Chromium driven by Playwright (its own
/// browser download does not work here). `.ci/run` installs Chromium; <see cref="BrowserFactAttribute"/>
/// skips outside CI when it is missing, and lets the test fail under CI=true.
/// </summary>
public class BrowserDesk : DeskWebFactory, IAsyncLifetime
{
    public const string ChromiumPath = "/usr/bin/chromium";

    /// <summary>
    /// One Chromium (and one Playwright driver) for the whole test run, launched when a browser test first needs it: each
    /// class launching its own cost about 1.5 s of CPU, 25 times a run. Classes stay apart as before, each page in a
    /// fresh browser context (its own cookies and storage), and a class's contexts are closed with it.
    /// </summary>
    private static readonly Lazy<Task<IBrowser>> Shared = new(LaunchAsync, LazyThreadSafetyMode.ExecutionAndPublication);

    private readonly List<IBrowserContext> _contexts = [];

    public BrowserDesk() => UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));

    public IBrowser Browser { get; private set; } = null!;
    public Uri BaseAddress { get; private set; } = null!;

    public static string ScreenshotFolder { get; } = Path.Combine(AppContext.BaseDirectory, "screenshots");

    public async Task InitializeAsync()
    {
        if (!File.Exists(ChromiumPath)) return; // the test itself reports it (skip or fail)
        StartServer();
        BaseAddress = ClientOptions.BaseAddress;
        Browser = await Shared.Value;
    }

    private static async Task<IBrowser> LaunchAsync()
    {
        // Never disposed: the driver, and Chromium with it, ends when the test process does.
        var playwright = await Playwright.CreateAsync();
        return await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args =
            [
                "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost",
            ],
        });
    }

    /// <summary>
    /// A page in a fresh browser profile (no cookies); <paramref name="locale"/> sets the browser's language, as a reader's
    /// would, and <paramref name="width"/> the window's (390 is a phone's).
    /// </summary>
    public async Task<IPage> NewPageAsync(string locale = "en-US", int width = 1400)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = BaseAddress.ToString().TrimEnd('/'),
            ViewportSize = new ViewportSize { Width = width, Height = 900 },
            Locale = locale,
        });
        lock (_contexts) _contexts.Add(context);
        return await context.NewPageAsync();
    }

    /// <summary>Signs in through the real form from <paramref name="path"/> (which asks for it) and waits to be back there.</summary>
    public static async Task SignInAsync(IPage page, string user, string path)
    {
        await page.GotoAsync(path);
        await page.FillAsync("#UserName", user);
        await page.FillAsync("#Password", DemoPassword);
        await page.ClickAsync("button:has-text('Sign in')");
        await page.WaitForURLAsync($"**{path}");
    }

    /// <summary>
    /// Screenshots are for a person to look at: taken on a developer's machine, and not under <c>CI=true</c>, where nobody
    /// sees them (they were about a fifth of the browser tests' time), unless <c>DESK_SCREENSHOTS=1</c> asks for them there.
    /// </summary>
    public static bool TakesScreenshots { get; } =
        Environment.GetEnvironmentVariable("CI") != "true" || Environment.GetEnvironmentVariable("DESK_SCREENSHOTS") == "1";

    /// <summary>The whole page, as <c>name.png</c> in <see cref="ScreenshotFolder"/>.</summary>
    public static Task ScreenshotAsync(IPage page, string name) => ScreenshotToAsync(page, Path.Combine(ScreenshotFolder, name + ".png"));

    /// <summary>The whole page (or only what fits the window), into <paramref name="path"/>.</summary>
    public static async Task ScreenshotToAsync(IPage page, string path, bool fullPage = true)
    {
        if (!TakesScreenshots) return;
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = fullPage });
    }

    /// <summary>One part of a page, into <paramref name="path"/>.</summary>
    public static async Task ScreenshotToAsync(ILocator part, string path)
    {
        if (!TakesScreenshots) return;
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await part.ScreenshotAsync(new LocatorScreenshotOptions { Path = path });
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        List<IBrowserContext> contexts;
        lock (_contexts) contexts = [.. _contexts];
        foreach (var context in contexts)
            try { await context.CloseAsync(); }
            catch (PlaywrightException) { } // closed already, by the test
        await base.DisposeAsync();
    }
}

/// <summary>A browser test: skipped with the reason when Chromium is missing outside CI; under CI=true it must run.</summary>
public sealed class BrowserFactAttribute : FactAttribute
{
    public BrowserFactAttribute()
    {
        if (!File.Exists(BrowserDesk.ChromiumPath) && Environment.GetEnvironmentVariable("CI") != "true")
            Skip = $"Chromium is not installed at {BrowserDesk.ChromiumPath} (apt-get install chromium); .ci/run installs it.";
    }
}
