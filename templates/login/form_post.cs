<?cs def:body() ?>
<h1><?cs var:Msg.continue ?></h1>
<form method="post" action="<?cs var:Post.Action ?>">
<?cs each:f = Post.Fields ?><input type="hidden" name="<?cs var:f.Name ?>" value="<?cs var:f.Value ?>">
<?cs /each ?><button type="submit" id="continue"><?cs var:Msg.continue ?></button>
</form>
<script>document.forms[0].submit();</script>
<?cs /def ?>
<?cs include!"layout.cs" ?>
