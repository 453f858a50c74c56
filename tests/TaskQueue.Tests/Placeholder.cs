namespace TaskQueue.Tests;
