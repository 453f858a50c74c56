namespace TaskQueue.IntegrationTests;
