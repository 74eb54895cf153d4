-- initial data only (no DDL): crudmap should skip it as a schema file.
INSERT INTO `tags` (`name`) VALUES
  ('ライブ配信'), ('ゲーム実況'), ('生放送'), ('アドバイス'), ('初心者歓迎'),
  ('プロゲーマー'), ('新作ゲーム'), ('レトロゲーム'), ('RPG'), ('FPS');
