using StackExchange.Redis;
using TaskQueue.TestSupport;
using Xunit;

namespace TaskQueue.Redis.Tests.LockedDown;

/// <summary>
/// A redis-server of its own whose default user has a password (the admin), on which tests create store users with
/// <see cref="LeastPrivilegeAcl"/>, one per key prefix.
/// </summary>
public sealed class AclRedisServer : IAsyncLifetime
{
    private const string AdminPassword = "admin-pw";
    private RedisServerProcess? _redis;
    private ConnectionMultiplexer? _admin;

    /// <summary><c>127.0.0.1:port</c>.</summary>
    public string EndPoint => _redis!.EndPoint;

    /// <summary>The default user's connection (ACL SETUSER, ACL LOG).</summary>
    public IConnectionMultiplexer Admin => _admin!;

    public async Task InitializeAsync()
    {
        _redis = await RedisServerProcess.StartAsync(["--requirepass", AdminPassword]);
        _admin = await ConnectionMultiplexer.ConnectAsync($"{_redis.EndPoint},password={AdminPassword},allowAdmin=true");
    }

    public async Task DisposeAsync()
    {
        if (_admin is not null)
        {
            await _admin.DisposeAsync();
        }

        if (_redis is not null)
        {
            await _redis.DisposeAsync();
        }
    }

    /// <summary>Creates user <c>tq-PREFIX</c> with the least-privilege rules for <paramref name="prefix"/> (less <paramref name="except"/>); returns the store's connection string.</summary>
    public async Task<string> CreateUserAsync(string prefix, string? except = null)
    {
        var user = $"tq-{prefix}";
        await Admin.GetDatabase().ExecuteAsync("ACL", ["SETUSER", user, .. LeastPrivilegeAcl.Rules(prefix, "user-pw", except)]);
        return $"{EndPoint},user={user},password=user-pw,keyPrefix={prefix}";
    }

    /// <summary>
    /// What ACL LOG says was denied to <paramref name="user"/> (reason, object, context), leaving out the CONFIG GET that
    /// StackExchange.Redis tries on connect and does without: granting it would let the user read <c>requirepass</c>.
    /// </summary>
    public async Task<IReadOnlyList<string>> DeniedAsync(string user)
    {
        var entries = (RedisResult[])(await Admin.GetDatabase().ExecuteAsync("ACL", "LOG", "128"))!;
        var denied = new List<string>();
        foreach (var entry in entries)
        {
            var fields = entry.ToDictionary();
            if (fields["username"].ToString() == user && !(fields["reason"].ToString() == "command" && fields["object"].ToString() == "config|get"))
            {
                denied.Add($"{fields["reason"]} {fields["object"]} ({fields["context"]})");
            }
        }

        return denied;
    }
}
