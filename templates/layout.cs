<!DOCTYPE html>
<html lang="<?cs alt:Page.Lang ?>en<?cs /alt ?>">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title><?cs var:Page.Title ?><?cs if:Page.Realm ?> · <?cs var:Page.Realm ?><?cs /if ?> · authio</title>
<link rel="stylesheet" href="/static/css/authio.css">
<?cs if:Page.Theme ?><link rel="stylesheet" href="<?cs var:Page.Theme ?>">
<?cs /if ?></head>
<body>
<main class="card">
<?cs call:body() ?>
</main>
<footer class="foot">authio<?cs if:Page.RequestId ?> · <?cs var:Msg.request ?> <?cs var:Page.RequestId ?><?cs /if ?></footer>
</body>
</html>
