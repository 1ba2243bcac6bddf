<?cs def:body() ?>
<?cs if:Brand.Logo ?><img class="logo" src="<?cs var:Brand.Logo ?>" alt=""><?cs /if ?>
<h1 class="brand-title"><?cs var:Brand.Title ?></h1>
<h2 id="message-title"><?cs var:Message.Title ?></h2>
<p class="info" id="message"><?cs var:Message.Text ?></p>
<?cs /def ?>
<?cs include!"layout.cs" ?>
