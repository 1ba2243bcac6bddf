<?cs def:body() ?>
<h1 class="error-status"><?cs var:Error.Status ?> · <?cs var:Error.Title ?></h1>
<p class="error-detail"><?cs var:Error.Detail ?></p>
<?cs if:Error.Back ?><p><a href="<?cs var:Error.Back ?>"><?cs var:Msg.back ?></a></p><?cs /if ?>
<?cs /def ?>
<?cs include!"layout.cs" ?>
