// Set up for the "mysql" jest project: the harness starts servers on MySQL.
process.env.TEST_BACKEND = "mysql";
