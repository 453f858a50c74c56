namespace TaskQueue.IntegrationTests;

/// <summary>
/// A newcomer's console app that uses TaskQueue only through its packages: the project, its code and a
/// nuget.config that adds the local feed to the machine's configured sources.
/// </summary>
internal static class PackedApp
{
    public const string Greeting = "hello from a packed job, Ada";

    /// <summary>Writes the app into <paramref name="directory"/>, referencing the packages by <paramref name="version"/>.</summary>
    /// <param name="directory">An empty folder outside the repository, so none of its build files apply.</param>
    /// <param name="feed">The folder the packages were packed into.</param>
    /// <param name="packagesFolder">A global packages folder of the app's own, so a stale cache cannot hide a broken pack.</param>
    /// <param name="machinePackagesFolder">The machine's global packages folder, read-only: every other dependency restores from it without a download.</param>
    /// <param name="version">The packages' version.</param>
    public static void Write(string directory, string feed, string packagesFolder, string machinePackagesFolder, string version)
    {
        // TaskQueue itself comes in through TaskQueue.Hosting: its generator must reach the app all the same.
        File.WriteAllText(Path.Combine(directory, "PackedApp.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <ImplicitUsings>enable</ImplicitUsings>
                <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
                <NuGetAudit>false</NuGetAudit>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="TaskQueue.Hosting" Version="[{version}]" />
                <PackageReference Include="TaskQueue.Redis" Version="[{version}]" />
              </ItemGroup>
            </Project>
            """);
        File.WriteAllText(Path.Combine(directory, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <config>
                <add key="globalPackagesFolder" value="{packagesFolder}" />
              </config>
              <packageSources>
                <add key="taskqueue-local" value="{feed}" />
              </packageSources>
              <fallbackPackageFolders>
                <add key="machine" value="{machinePackagesFolder}" />
              </fallbackPackageFolders>
            </configuration>
            """);
        File.WriteAllText(Path.Combine(directory, "Program.cs"), """
            using Microsoft.Extensions.DependencyInjection;
            using Microsoft.Extensions.Hosting;
            using PackedApp;
            using TaskQueue.Hosting;

            var builder = Host.CreateApplicationBuilder(args);
            builder.Services.AddTaskQueue();
            builder.Services.AddPackedAppJobs();
            using var host = builder.Build();
            await host.StartAsync();

            await Jobs.Greet.EnqueueAsync("Ada");
            Console.WriteLine(await Greeter.Greeted.Task.WaitAsync(TimeSpan.FromSeconds(30)));
            await host.StopAsync();
            """);
        File.WriteAllText(Path.Combine(directory, "Greeter.cs"), $$"""
            using TaskQueue;

            namespace PackedApp;

            public static class Greeter
            {
                public static TaskCompletionSource<string> Greeted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

                [Job]
                public static void Greet(string name) => Greeted.TrySetResult($"hello from a packed job, {name}");
            }
            """);
    }
}
