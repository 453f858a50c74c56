using System.Diagnostics;
using System.Text;
using TaskQueue.Admin;
using TaskQueue.Storage;
using Xunit;

namespace TaskQueue.TestSupport;

public abstract partial class JobStoreContractTests
{
    // ---- dead letters ---------------------------------------------------------------------------------------------

    [Fact]
    public async Task Dead_letters_are_listed_newest_first_in_pages()
    {
        var ids = await KillAsync(4);

        var firstPage = await Admin.ListDeadLettersAsync(Q, 0, 3);
        var secondPage = await Admin.ListDeadLettersAsync(Q, 3, 3);

        Assert.Equal(ids.AsEnumerable().Reverse().Take(3), firstPage.Select(j => j.Id));
        Assert.Equal([ids[0]], secondPage.Select(j => j.Id));
        Assert.All(firstPage, j => Assert.Equal(JobState.Dead, j.State));
        Assert.Empty(await Admin.ListDeadLettersAsync(Q, 10, 3));
        Assert.Empty(await Admin.ListDeadLettersAsync("never-used", 0, 3));
    }

    [Fact]
    public async Task Requeued_dead_letter_runs_again_with_a_fresh_attempt_count()
    {
        var id = (await KillAsync(1))[0];

        Assert.True(await Admin.RequeueDeadLetterAsync(Q, id));

        Assert.Empty(await Admin.ListDeadLettersAsync(Q, 0, 10));
        Assert.Equal(JobState.Pending, (await Store.GetJobAsync(Q, id))!.State);
        var leased = Assert.Single(await FetchAsync(1));
        Assert.Equal(id, leased.Id);
        Assert.Equal(1, leased.Attempt);
        Assert.False(await Admin.RequeueDeadLetterAsync(Q, id));
    }

    [Fact]
    public async Task Requeue_all_moves_every_dead_letter_back_to_ready()
    {
        var ids = await KillAsync(3);

        Assert.Equal(3, await Admin.RequeueDeadLettersAsync(Q, DeadLetterFilter.All));

        Assert.Empty(await Admin.ListDeadLettersAsync(Q, 0, 10));
        Assert.Equal(ids.Order(), (await FetchAsync(10)).Select(j => j.Id).Order());
        Assert.Equal(0, await Admin.RequeueDeadLettersAsync(Q, DeadLetterFilter.All));
    }

    [Fact]
    public async Task Deleted_dead_letter_is_gone()
    {
        var ids = await KillAsync(2);

        Assert.True(await Admin.DeleteDeadLetterAsync(Q, ids[0]));

        Assert.Equal([ids[1]], (await Admin.ListDeadLettersAsync(Q, 0, 10)).Select(j => j.Id));
        Assert.Null(await Store.GetJobAsync(Q, ids[0]));
        Assert.False(await Admin.DeleteDeadLetterAsync(Q, ids[0]));
        Assert.Equal(1, (await Admin.GetQueueStatsAsync(Q)).Dead);
    }

    [Fact]
    public async Task Only_dead_letters_can_be_requeued_or_deleted_as_dead_letters()
    {
        var pending = await EnqueueAsync(TestJobs.New());

        Assert.False(await Admin.RequeueDeadLetterAsync(Q, pending));
        Assert.False(await Admin.DeleteDeadLetterAsync(Q, pending));
        Assert.Equal(JobState.Pending, (await Store.GetJobAsync(Q, pending))!.State);
    }

    [Fact]
    public async Task Trim_by_count_deletes_the_oldest_dead_letters()
    {
        var ids = await KillAsync(5);

        Assert.Equal(3, await Store.TrimDeadLettersAsync(Q, maxCount: 2, maxAge: TimeSpan.FromDays(7)));

        Assert.Equal([ids[4], ids[3]], (await Admin.ListDeadLettersAsync(Q, 0, 10)).Select(j => j.Id));
        Assert.Null(await Store.GetJobAsync(Q, ids[0]));
    }

    [Fact]
    public async Task Trim_by_age_deletes_dead_letters_older_than_the_limit()
    {
        var old = await KillAsync(2);
        await Task.Delay(ShortDelay * 2);
        var fresh = await KillAsync(1);

        Assert.Equal(2, await Store.TrimDeadLettersAsync(Q, maxCount: 100, maxAge: ShortDelay));

        Assert.Equal(fresh, (await Admin.ListDeadLettersAsync(Q, 0, 10)).Select(j => j.Id));
        Assert.Null(await Store.GetJobAsync(Q, old[0]));
    }
}
