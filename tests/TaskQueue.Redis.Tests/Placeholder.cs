namespace TaskQueue.Redis.Tests;
