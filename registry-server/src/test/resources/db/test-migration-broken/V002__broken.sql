CREATE TABLE half_done (id int);
SELECT no_such_column FROM widgets;
