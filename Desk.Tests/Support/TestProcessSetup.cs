using System.Runtime.CompilerServices;

namespace Desk.Tests.Support;

/// <summary>Settings for the whole test process, made before any test or desk starts.</summary>
internal static class TestProcessSetup
{
    /// <summary>
    /// The suite holds dozens of desks (WebApplicationFactory hosts) at once, and each watched its web root (for
    /// <c>asp-append-version</c>) and its settings files with an inotify instance: past Linux's default of 128 per user
    /// the next desk's page failed with "the configured user limit (128) on the number of inotify instances has been
    /// reached". Nothing in a test changes those files while it runs, so the desks poll instead (no inotify at all) and
    /// do not reload their settings.
    /// </summary>
    [ModuleInitializer]
    internal static void WatchFilesWithoutInotify()
    {
        Environment.SetEnvironmentVariable("DOTNET_USE_POLLING_FILE_WATCHER", "true");
        Environment.SetEnvironmentVariable("DOTNET_hostBuilder__reloadConfigOnChange", "false");
    }
}
