namespace Desk.Web.Identity;

/// <summary>
/// <c>dotnet run --project Desk.Web -- create-admin --user NAME --email ADDRESS</c>, password on standard
/// input: how a real desk gets its first admin. There is no default password anywhere.
/// </summary>
public static class CreateAdminCommand
{
    public const string Name = "create-admin";

    public static async Task<int> RunAsync(IServiceProvider services, string[] args, TextReader input, TextWriter output)
    {
        string? user = null, email = null;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--user" when i + 1 < args.Length: user = args[++i]; break;
                case "--email" when i + 1 < args.Length: email = args[++i]; break;
                default:
                    await output.WriteLineAsync($"error: unknown argument \"{args[i]}\".");
                    return 2;
            }
        }
        if (string.IsNullOrWhiteSpace(user) || string.IsNullOrWhiteSpace(email))
        {
            await output.WriteLineAsync("Usage: dotnet run --project Desk.Web -- create-admin --user NAME --email ADDRESS  (the password is read from standard input)");
            return 2;
        }
        await output.WriteLineAsync($"Password for {user} (at least 10 characters, with upper and lower case, a digit and a symbol):");
        var password = (await input.ReadLineAsync())?.Trim() ?? "";

        await using var scope = services.CreateAsyncScope();
        var refused = await scope.ServiceProvider.GetRequiredService<DeskUsers>().CreateAsync(user, email, user, password, DeskRoles.Admin);
        if (refused is not null)
        {
            await output.WriteLineAsync($"error: {refused}");
            return 1;
        }
        await output.WriteLineAsync($"Admin {user} created. Sign in at /account/login.");
        return 0;
    }
}
